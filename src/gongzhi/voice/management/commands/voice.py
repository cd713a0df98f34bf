from django.core.management.base import BaseCommand

from gongzhi.voice import services


class Command(BaseCommand):
    help = "Resident requests: `escalate` moves overdue requests to the organization above."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["escalate"])

    def handle(self, *args, action, **options):
        moved = services.escalate()
        self.stdout.write(f"escalated {moved}")
