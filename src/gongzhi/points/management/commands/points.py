"""``gongzhi points default_rules --org CODE [--from YYYY-MM-DD]``: install the default rule set."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Points administration. default_rules: create the default rule set at an organization."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["default_rules"])
        parser.add_argument("--org", required=True, help="Organization code, e.g. the street's.")
        parser.add_argument("--from", dest="effective_from", type=date.fromisoformat, default=None,
                            help="Effective from this day (default: 1 January this year).")

    def handle(self, *args, action, org, effective_from=None, **options):
        from django.utils import timezone

        from gongzhi.orgs.models import Organization
        from gongzhi.points.defaults import install_default_rules

        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"No organization with code {org!r}.")
        start = effective_from or date(timezone.localdate().year, 1, 1)
        created = install_default_rules(organization, effective_from=start)
        self.stdout.write(f"Created {created} rules at {organization.code}.")
