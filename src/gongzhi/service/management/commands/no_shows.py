"""``gongzhi no_shows [--days N]``: post the no-show deduction for party members who signed up,
did not cancel before the start (no leave) and did not check in. Idempotent: run it daily."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Post the no-show deduction for sign-ups without a check-in or leave (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Only activities that ended in the last N days (default: all).")

    def handle(self, *args, days=None, **options):
        from gongzhi.service.services import post_no_show_points

        since = timezone.now() - timedelta(days=days) if days else None
        posted = post_no_show_points(since=since)
        self.stdout.write(f"Posted {posted} no-show deductions.")
