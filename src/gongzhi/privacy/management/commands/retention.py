"""``gongzhi retention run [--dry-run] [--date YYYY-MM-DD] [--enqueue]``: carry out the retention rules.

Anonymises the residents' requests and the residents who moved away whose period has ended (never a party
member's record), and writes one audit row with the counts; ``--dry-run`` only counts."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Retention of personal data: anonymise what the rules find due (see docs/privacy.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="Anonymise what is due today (idempotent).")
        run.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        run.add_argument("--date", type=date.fromisoformat, default=None, help="Run as of this day.")
        run.add_argument("--enqueue", action="store_true", help="Run as a background task instead.")

    def handle(self, *args, action=None, dry_run=False, date=None, enqueue=False, **options):
        if enqueue:
            from gongzhi.privacy.tasks import run_retention

            run_retention.enqueue(date.isoformat() if date else None)
            self.stdout.write("Retention pass enqueued.")
            return
        from gongzhi.privacy.retention import CATEGORIES
        from gongzhi.privacy.services import run_retention

        counts = run_retention(today=date, dry_run=dry_run)
        self.stdout.write("Dry run: nothing changed." if dry_run else "Retention pass done.")
        for key, count in counts.items():
            self.stdout.write(f"  {key}: {count}  ({CATEGORIES[key]})")
