"""``gongzhi setup``: the first run of a real installation, without a superuser.

Creates the top organization (a district committee, or a street or township working committee) and its
first administrator's account with the street administrator's role there, then refuses to run again:
everything after is done in the pages by people holding roles.

Interactive by default; for scripts, ``--no-input`` with every value as a flag. The administrator's
password comes from the prompt, or (non-interactive) from the environment variable named by
``--password-env``; without one, a one-time activation code is printed instead (valid 7 days, entered at
/accounts/activate/)."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.models import Role, RoleKind, User
from gongzhi.core import audit
from gongzhi.orgs import services
from gongzhi.orgs.models import Organization, OrgKind

TOP_KINDS = [OrgKind.STREET, OrgKind.TOWNSHIP, OrgKind.DISTRICT]


class Command(BaseCommand):
    help = "Create the top organization and its first administrator (once, on an empty installation)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=[str(k) for k in TOP_KINDS], help="street, township or district")
        parser.add_argument("--code", help="the organization's code, e.g. its 12-digit area code")
        parser.add_argument("--name", help="e.g. 幸福街道党工委")
        parser.add_argument("--username", help="the administrator's username")
        parser.add_argument("--display-name", help="the administrator's real name")
        parser.add_argument("--mobile", default="", help="the administrator's mobile number (optional)")
        parser.add_argument("--password-env", default="",
                            help="name of an environment variable holding the administrator's password")
        parser.add_argument("--no-input", action="store_false", dest="interactive",
                            help="ask nothing; every value comes from the flags")

    def handle(self, *args, interactive=True, **options):
        if Organization.objects.exists() or Role.objects.exists():
            raise CommandError("This installation is already set up (it holds organizations or roles); "
                               "`gongzhi setup` runs only once. Continue in the pages.")
        if User.objects.filter(is_superuser=True).exists():
            self.stderr.write("Note: a superuser account exists; production runs without one.")
        values = {key: (options.get(key) or "").strip() for key in ("kind", "code", "name", "username",
                                                                     "display_name", "mobile")}
        password = ""
        if interactive:
            values = self._ask(values)
            password = self._ask_password(values["username"])
        else:
            missing = [f"--{k.replace('_', '-')}" for k in ("kind", "code", "name", "username", "display_name")
                       if not values[k]]
            if missing:
                raise CommandError(f"Missing with --no-input: {', '.join(missing)}")
            if options["password_env"]:
                password = os.environ.get(options["password_env"], "")
                if not password:
                    raise CommandError(f"The environment variable {options['password_env']} is empty.")
        if values["kind"] not in TOP_KINDS:
            raise CommandError("--kind must be street, township or district.")
        try:
            admin, issued = self._create(values, password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Created {values['name']} ({values['code']}) and the administrator {admin.username}."))
        if issued is not None:
            self.stdout.write(f"One-time activation code for {admin.username}: {issued.code} "
                              f"(valid until {timezone.localtime(issued.expires_at):%Y-%m-%d %H:%M}); "
                              "set the password at /accounts/activate/.")
        self.stdout.write("Next: log in, import the organization tree and the places at /orgs/setup/import/, "
                          "then the rosters and the accounts (docs/adopting.md).")

    @transaction.atomic
    def _create(self, values: dict, password: str):
        from gongzhi.accounts import services as account_services

        top = Organization(kind=values["kind"], code=values["code"], name=values["name"])
        services.check_parent(top.kind, None)
        top.full_clean(exclude=["path", "depth", "name_initials"])
        admin = User(username=values["username"], display_name=values["display_name"],
                     mobile=values["mobile"] or None)
        admin.full_clean(exclude=["password"])
        if password:
            validate_password(password, admin)
            admin.set_password(password)
        else:
            admin.set_unusable_password()
        top.save()
        admin.home_organization = top
        admin.save()
        role = Role.objects.create(user=admin, organization=top, kind=RoleKind.STREET_ADMIN,
                                   starts_on=timezone.localdate())
        audit.record(actor=None, action="orgs.tree.set_up", obj=top, subject_user=admin,
                     detail={"administrator": admin.username, "role": role.kind})
        issued = None if password else account_services.issue_code(user=admin, by=None)
        return admin, issued

    def _ask(self, values: dict) -> dict:
        prompts = [
            ("kind", "Kind of the top organization (street / township / district)", "street"),
            ("code", "Its code (e.g. the area code)", ""),
            ("name", "Its name (e.g. 幸福街道党工委)", ""),
            ("username", "The administrator's username", ""),
            ("display_name", "The administrator's real name", ""),
            ("mobile", "The administrator's mobile number (optional)", None),
        ]
        for key, question, default in prompts:
            while not values[key]:
                suffix = f" [{default}]" if default else ""
                answer = input(f"{question}{suffix}: ").strip() or (default or "")
                values[key] = answer
                if default is None:
                    break
        return values

    def _ask_password(self, username: str) -> str:
        while True:
            first = getpass.getpass(f"Password for {username}: ")
            if first != getpass.getpass("The same again: "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                validate_password(first, User(username=username))
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            return first
