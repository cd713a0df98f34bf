"""The dashboards' snapshots (docs/dashboards.md):

``gongzhi dashboards refresh``: recompute now the snapshots opened within a day whose figures are older
than half the refresh interval (what the scheduled task does).
``gongzhi dashboards schedule``: start the task that does so every ``REFRESH_EVERY`` seconds (once after
installing; it re-enqueues itself).
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Dashboard snapshots. refresh: recompute the recently opened ones now; schedule: start the periodic task."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "schedule"])

    def handle(self, *args, action, **options):
        if action == "refresh":
            from gongzhi.dashboards.services import refresh_viewed

            self.stdout.write(f"Dashboard snapshots refreshed: {refresh_viewed()}.")
            return
        from gongzhi.dashboards.tasks import schedule

        when = schedule()
        if when is None:
            self.stdout.write("Dashboard refresh: a run is already waiting (or the task backend cannot defer).")
        else:
            self.stdout.write(f"Dashboard refresh: next run at {when:%Y-%m-%d %H:%M %Z}, then every ten minutes.")
