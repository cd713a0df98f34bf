"""``gongzhi members import FILE --org CODE [--table KEY] [--dry-run]``: import a party-member roster;
``gongzhi members job-codes FILE --key KEY --name NAME [--default] [--dry-run]``: add a version of the
job-position code table from a spreadsheet (代码, 名称, 党员类别).

Exit status: 0 imported (or would be, with --dry-run), 1 refused with the report of problems,
2 usage error (unknown organization, missing file)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongzhi.orgs.models import Organization

from ... import roster
from ...models import JobCodeTable


class Command(BaseCommand):
    help = "Party-member records: import a roster; add a version of the job-position code table."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Import a roster (.xlsx, .xls, .ods) into an organization.")
        importing.add_argument("file")
        importing.add_argument("--org", required=True, help="Code of the organization importing the roster.")
        importing.add_argument("--table", help="Key of the job-position code table the file was exported with "
                                              "(default: the default table).")
        importing.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

        codes = actions.add_parser("job-codes", help="Add a version of the job-position code table from a "
                                                     "spreadsheet (代码, 名称, 党员类别).")
        codes.add_argument("file")
        codes.add_argument("--key", required=True, help="A short key for the version, e.g. zhejiang-2024.")
        codes.add_argument("--name", required=True, help="The version's name as staff will see it.")
        codes.add_argument("--default", action="store_true", help="Make it the default of the import page.")
        codes.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

    def handle(self, *args, action, **options):
        if action == "job-codes":
            return self.add_job_codes(**options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=2)
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(_("No organization with code %(code)s.") % {"code": options["org"]}, returncode=2)
        table = None
        if options.get("table"):
            table = JobCodeTable.objects.filter(key=options["table"]).first()
            if table is None:
                raise CommandError(_("No job-position code table with key %(key)s.") % {"key": options["table"]},
                                   returncode=2)
        try:
            roster.check_upload(path)
            plan = roster.read_roster(path, organization, table=table)
        except roster.RosterError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(1) from exc
        if not plan.ok:
            self.stderr.write(_("Nothing was imported. Problems:"))
            for p in plan.problems:
                self.stderr.write(_("Row %(row)s, %(column)s: %(reason)s") % {
                    "row": p.row, "column": p.column, "reason": p.reason})
            raise SystemExit(1)
        for notice in plan.notices:
            self.stdout.write(_("Row %(row)s, %(column)s: %(reason)s") % {
                "row": notice.row, "column": notice.column, "reason": notice.message})
        summary = _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "new": len(plan.new), "updated": len(plan.updated), "unchanged": len(plan.unchanged)}
        if options["dry_run"]:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
            return
        roster.apply_plan(plan, source=path.name)
        self.stdout.write(_("Imported: %(summary)s") % {"summary": summary})

    def add_job_codes(self, *, file, key, name, default, dry_run, **_options):
        from django.core.exceptions import ValidationError
        from django.utils.text import slugify

        from ... import jobcodes, services

        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=2)
        if slugify(key) != key:
            raise CommandError(_("A key has lower-case letters, digits and hyphens only."), returncode=2)
        try:
            roster.check_upload(path)
            entries, checked = jobcodes.read_code_table(path)
        except roster.RosterError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(1) from exc
        if not checked.ok:
            self.stderr.write(_("Nothing was added. Problems:"))
            for p in checked.problems:
                self.stderr.write(_("Row %(row)s, %(column)s: %(reason)s") % {
                    "row": p.row, "column": p.column, "reason": p.reason})
            raise SystemExit(1)
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: %(n)s positions.") % {"n": len(entries)})
            return
        try:
            services.add_job_code_table(key=key, name=name, entries=entries, make_default=default)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        self.stdout.write(_("Added the code table %(name)s: %(n)s positions.") % {"name": name, "n": len(entries)})
