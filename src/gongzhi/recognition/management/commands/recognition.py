"""Recognition administration:

``gongzhi recognition verify_served``: compare the summary of who served per month with the service
records (exit 1 on a difference); ``gongzhi recognition rebuild_served``: recompute it from the records
(one statement; see ``recognition.summary``).
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Recognition administration. verify_served: check the summary of who served per month against the "
            "check-ins, care visits and small wishes; rebuild_served: recompute it from them.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify_served", "rebuild_served"])

    def handle(self, *args, action, **options):
        from gongzhi.recognition import summary

        if action == "verify_served":
            mismatches = summary.verify()
            for m in mismatches:
                self.stdout.write(f"member {m.member_id} {m.month:%Y-%m}: records {m.records}, summary {m.summary}")
            if mismatches:
                raise CommandError("The served summary differs from the records; run: "
                                   "gongzhi recognition rebuild_served")
            self.stdout.write("The served summary agrees with the records.")
            return
        rows = summary.rebuild()
        self.stdout.write(f"Rebuilt the served summary: {rows} rows.")
