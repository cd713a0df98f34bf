"""``gongzhi meeting_reminders [--date YYYY-MM-DD] [--enqueue]``: run the meeting reminder pass."""

from datetime import date

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Notify branch secretaries of meetings due soon or overdue (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="Run as of this day.")
        parser.add_argument("--enqueue", action="store_true", help="Run as a background task instead.")

    def handle(self, *args, date=None, enqueue=False, **options):
        if enqueue:
            from gongzhi.meetings.tasks import send_meeting_reminders

            send_meeting_reminders.enqueue(date.isoformat() if date else None)
            self.stdout.write("Reminder pass enqueued.")
            return
        from gongzhi.meetings.reminders import run_reminders

        result = run_reminders(date)
        self.stdout.write(f"Checked {result['checked']} reminders, created {result['created']}, "
                          f"delivered {result['delivered']} through senders.")
