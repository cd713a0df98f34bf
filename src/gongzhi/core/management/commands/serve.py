"""``gongzhi serve [ADDR:PORT]``: serve the platform (development server, static files by WhiteNoise).
In production run ``gunicorn gongzhi.wsgi`` instead (see README)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Gongzhi on 127.0.0.1:8000 (or the address given)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
