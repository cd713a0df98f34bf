"""Points administration:

``gongzhi points default_rules --org CODE [--from YYYY-MM-DD]``: install the default rule set;
``gongzhi points verify``: compare the totals summary and the rule groups' totals (what the caps count) with the
ledger (exit 1 on a difference);
``gongzhi points rebuild_totals``: recompute both from the ledger.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Points administration. default_rules: create the default rule set at an organization; verify: check "
            "the totals summary and the rule groups' totals against the ledger; rebuild_totals: recompute both from "
            "the ledger.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["default_rules", "verify", "rebuild_totals"])
        parser.add_argument("--org", help="Organization code, e.g. the street's (default_rules).")
        parser.add_argument("--from", dest="effective_from", type=date.fromisoformat, default=None,
                            help="Effective from this day (default: 1 January this year).")

    def handle(self, *args, action, org=None, effective_from=None, **options):
        from gongzhi.points import caps, totals

        if action == "verify":
            mismatches = totals.verify()
            for m in mismatches:
                self.stdout.write(f"member {m.member_id} {m.year}-{m.month:02d}: ledger {m.ledger}, "
                                  f"summary {m.summary}")
            groups = caps.verify()
            for g in groups:
                self.stdout.write(f"member {g.member_id} rules {g.code} at {g.organization_id} "
                                  f"{g.year}-{g.month:02d}: ledger {g.ledger}, summary {g.summary}")
            if mismatches or groups:
                raise CommandError("The totals differ from the ledger; run: gongzhi points rebuild_totals")
            self.stdout.write("The totals summary agrees with the ledger, and so do the rule groups' totals.")
            return
        if action == "rebuild_totals":
            rows = totals.rebuild()
            groups = caps.rebuild()
            self.stdout.write(f"Rebuilt the totals summary: {rows} rows; the rule groups' totals: {groups} rows.")
            return
        self._default_rules(org, effective_from)

    def _default_rules(self, org, effective_from):
        from django.utils import timezone

        from gongzhi.orgs.models import Organization
        from gongzhi.points.defaults import install_default_rules

        if not org:
            raise CommandError("default_rules needs --org CODE.")
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"No organization with code {org!r}.")
        start = effective_from or date(timezone.localdate().year, 1, 1)
        created = install_default_rules(organization, effective_from=start)
        self.stdout.write(f"Created {created} rules at {organization.code}.")
