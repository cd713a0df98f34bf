"""``gongzhi demo``: load the demo street (only into an empty database; never duplicates)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongzhi.core.demo import build_demo
from gongzhi.orgs.models import Organization


class Command(BaseCommand):
    help = "Load the deterministic demo street into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Say nothing and do nothing when the database already holds data.")

    def handle(self, *args, if_empty=False, **options):
        if Organization.objects.exists():
            if not if_empty:
                self.stdout.write("The database already holds organizations; the demo was not loaded again.")
            return
        started = time.monotonic()
        self.stdout.write("Loading the demo street…")
        build_demo(timezone.localdate(), log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))
