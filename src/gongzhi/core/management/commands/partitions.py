"""The history tables partitioned by year on PostgreSQL (the points ledger, the audit log):

``gongzhi partitions ahead [--years N] [--enqueue]``: create this year's and the next N years'
partitions (default 1), and move rows waiting in a default partition into their year's; idempotent.
``--enqueue`` runs it as a background task instead.
``gongzhi partitions schedule``: start the monthly task that runs ``ahead`` (once after installing;
it re-enqueues itself).
``gongzhi partitions retain [--dry-run]``: detach the audit log's year partitions whose every row is
older than the retention period (GONGZHI_AUDIT_RETENTION_DAYS, at least 180 days); never the
ledger. Run it as the owner role, like ``migrate``.
``gongzhi partitions list``: the partitions and their rows.

On SQLite the tables are plain: each says there is nothing to do.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("History partitions (PostgreSQL). ahead: create next years' partitions; schedule: start the monthly "
            "task; retain: detach audit partitions older than the retention period; list: show them.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["ahead", "schedule", "retain", "list"])
        parser.add_argument("--years", type=int, default=1, help="Years ahead of this one (ahead; 1 to 10).")
        parser.add_argument("--enqueue", action="store_true", help="Run as a background task (ahead).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be detached (retain).")

    def handle(self, *args, action, years=1, enqueue=False, dry_run=False, **options):
        from django.db import connection

        if connection.vendor != "postgresql":
            self.stdout.write(f"Nothing to do: the history tables are partitioned on PostgreSQL only "
                              f"(this database is {connection.vendor}).")
            return
        getattr(self, f"_{action}")(connection, years=years, enqueue=enqueue, dry_run=dry_run)

    def _ahead(self, connection, *, years, enqueue, **_options):
        if not 1 <= years <= 10:
            raise CommandError("--years must be between 1 and 10.")
        if enqueue:
            from gongzhi.core.tasks import partitions_ahead

            partitions_ahead.enqueue(years=years, reschedule=False)
            self.stdout.write("Partitions ahead: enqueued.")
            return
        from gongzhi.core.services import create_partitions_ahead

        for table, result in create_partitions_ahead(years=years).items():
            created = ", ".join(result["created"]) or "none (all present)"
            moved = f"; rows moved out of the default partition for {result['moved_years']}" if result["moved_years"] \
                else ""
            self.stdout.write(f"{table}: created {created}{moved}.")

    def _schedule(self, connection, **_options):
        from gongzhi.core.tasks import schedule

        when = schedule()
        if when is None:
            self.stdout.write("Partitions ahead: a run is already waiting (or the task backend cannot defer).")
        else:
            self.stdout.write(f"Partitions ahead: next run at {when:%Y-%m-%d %H:%M %Z}, then every month.")

    def _retain(self, connection, *, dry_run, **_options):
        from django.db import DatabaseError

        from gongzhi.core.services import detach_old_audit_partitions

        try:
            result = detach_old_audit_partitions(dry_run=dry_run)
        except DatabaseError as exc:
            raise CommandError(f"Could not detach ({exc}). Run retain as the owner role, like migrate.") from exc
        verb = "Would detach" if dry_run else "Detached"
        cutoff = f"{result['cutoff']:%Y-%m-%d %H:%M %Z}" if result["cutoff"] else "-"
        for name in result["detached"]:
            self.stdout.write(f"{verb} {name} ({result['rows'][name]} rows, all older than {cutoff}).")
        if not result["detached"]:
            self.stdout.write(f"No audit partition is wholly older than {cutoff}: nothing detached.")
        if result["detached"] and not dry_run:
            self.stdout.write("The detached tables remain in the database (append-only): archive them with "
                              "pg_dump -t NAME, then DROP TABLE NAME as the owner role.")

    def _list(self, connection, **_options):
        from gongzhi.core import partitions

        for table in sorted(partitions.HISTORIES):
            for part in partitions.partitions(connection, table, count_rows=True):
                span = f"{part.lower} .. {part.upper}" if part.year else "DEFAULT"
                self.stdout.write(f"{table}\t{part.name}\t{span}\t{part.rows} rows")
