"""Prepare the load test's database (run by ``python -m load`` in a subprocess with its settings).

The demo street, an activity of the whole street under way now (no sign-up needed, no limit), and
``LOAD_USERS`` party members of the street with accounts (topped up with generated members when the demo
holds fewer). Writes the scenario's specification (the check-in link, the members' and staff's user
names, the pages staff open) as JSON to the path given as the first argument.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.members.models import Member  # noqa: E402
from gongzhi.orgs.models import Organization, OrgKind  # noqa: E402
from gongzhi.service import services  # noqa: E402
from gongzhi.service.models import Activity, ActivityKind, OpenTo  # noqa: E402

PASSWORD = "Load-test-2026"  # noqa: S105 — a throwaway database on 127.0.0.1


def main(spec_path: str) -> None:
    wanted = int(os.environ.get("LOAD_USERS", "500"))
    if not Organization.objects.exists():
        call_command("demo", verbosity=0)
    street = Organization.objects.filter(kind=OrgKind.STREET).order_by("path").first()
    with transaction.atomic():
        members = list(Member.objects.filter(home_org__path__startswith=street.path)
                       .select_related("user").order_by("pk")[:wanted])
        _top_up(members, street, wanted)
        hashed = make_password(PASSWORD)  # one hash for all: the same password, hashed as production does
        usernames = []
        for index, member in enumerate(members):
            if member.user is None:
                member.user = User.objects.create(username=f"load{index:04d}", display_name=member.name,
                                                  password=hashed)
                member.save(update_fields=["user"])
            else:
                User.objects.filter(pk=member.user_id).update(password=hashed)
            usernames.append(member.user.username)
        staff = list(User.objects.filter(username__in=("jiedao", "shuji", "shegong", "zhibu1", "zhibu2"))
                     .values_list("username", flat=True))
        User.objects.filter(username__in=staff).update(password=hashed)
        now = timezone.now()
        event = Activity.objects.create(
            organization=street, title="全街道党员集中报到日（负载测试）", kind=ActivityKind.OTHER, place="街道广场",
            starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3), open_to=OpenTo.MEMBERS,
            requires_signup=False)
    spec = {"password": PASSWORD, "members": usernames, "staff": staff,
            "scan": f"/service/scan/{services.checkin_token(event)}/",
            "staff_pages": ["/", "/service/", f"/service/{event.pk}/", "/members/", "/points/", "/voice/queue/"]}
    with open(spec_path, "w", encoding="utf-8") as out:
        json.dump(spec, out, ensure_ascii=False)
    print(f"{len(usernames)} members with accounts, {len(staff)} staff, activity {event.pk}")


def _top_up(members: list, street, wanted: int) -> None:
    if len(members) >= wanted:
        return
    from tests.factories.core import MemberFactory, valid_id_number

    homes = list(Organization.objects.filter(path__startswith=street.path, kind=OrgKind.BRANCH).order_by("path"))
    for index in range(wanted - len(members)):
        # 500 serials a birth date, each date a 29th: the demo's members are born on days 1-28, so no number repeats
        # one of theirs or another generated one, however many members the run asks for.
        birth = date(1960 + index // 500, 1, 29)
        members.append(MemberFactory(home_org=homes[index % len(homes)], mobile=f"139{index:08d}", birth_date=birth,
                                     id_number=valid_id_number(birth, "male", serial=index % 500)))


if __name__ == "__main__":
    main(sys.argv[1])
