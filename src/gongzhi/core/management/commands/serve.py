"""``gongzhi serve [ADDR:PORT]``: serve the platform (development server, static files by WhiteNoise).
In production run ``gunicorn gongzhi.wsgi`` instead (see README).

Each request runs in its own thread; on PostgreSQL the threads share the bounded connection pool of
settings.DATABASES (GONGZHI_DB_POOL_SIZE), so a burst of requests waits for a connection instead of
opening one per thread and exhausting the database.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.commands.runserver import Command as Runserver
from django.core.servers.basehttp import WSGIServer


class BurstWSGIServer(WSGIServer):
    """Django's development server with room for a burst of connections: its backlog of 10 made the
    kernel reset connections when a couple of hundred phones tapped at once."""

    request_queue_size = 512


class _Runserver(Runserver):
    server_cls = BurstWSGIServer


class Command(BaseCommand):
    help = "Serve Gongzhi on 127.0.0.1:8000 (or the address given)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command(_Runserver(), addrport, use_reloader=False, use_threading=True)
