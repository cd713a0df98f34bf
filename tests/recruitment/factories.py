"""Data for the recruitment tests, made through the services as a branch secretary and the community would."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone
from stdnum.cn import ric

from gongzhi.recruitment import services
from gongzhi.recruitment.models import UPPER_STEPS, Candidate
from tests.factories import MemberFactory

CSRF = "a" * 32
_sequence = itertools.count(101)


def post(client, url, data=None, **extra):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)


def id_number(birth: date = date(1995, 6, 1), male: bool = True) -> str:
    sequence = next(_sequence) % 500 * 2 + (1 if male else 0)
    body = f"110101{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def applicant(branch, *, applied_on: date | None = None, by=None, name="申请人甲", **extra) -> Candidate:
    return services.register_applicant(branch=branch, name=name, id_number=extra.pop("id_number", id_number()),
                                       applied_on=applied_on or days_ago(10), category="in_service", by=by, **extra)


def contacts(branch, count=2) -> list:
    return [MemberFactory(home_org=branch, name=f"联系人{branch.pk}-{i}", full_member_on=date(2000, 1, 1))
            for i in range(count)]


#: Days after the application each step is dated, for a person walked through in ``START`` days.
START = 1000
OFFSETS = {2: 20, 3: 60, 4: 65, 5: 70, 6: 431, 7: 440, 8: 445, 9: 450, 10: 470, 11: 480, 12: 490, 13: 510,
           14: 515, 15: 520, 16: 530, 17: 540, 18: 545, 19: 550, 20: 555, 21: 800, 22: 870}
ASSESSED = (150, 240, 330, 420)


def walk(candidate: Candidate, upto: int, *, secretary, upper, members, present=None, start: int = START):
    """Record steps 2 … ``upto`` with valid dates (the application ``start`` days ago); step 15 with ``present``
    (member ids; all ``members``' ids by default) voting in favour."""
    first = candidate.steps.get(number=1).on
    for number in range(candidate.last_step + 1, upto + 1):
        day = first + timedelta(days=OFFSETS[number])
        if number == 6:
            for offset in ASSESSED:
                services.add_assessment(candidate=candidate, on=first + timedelta(days=offset), text="季度考察合格",
                                        by=secretary)
        extra = {}
        if number in (5, 9):
            extra = {"first_member": members[0], "second_member": members[1]}
        elif number == 12:
            extra = {"notice_starts_on": day, "notice_ends_on": day + timedelta(days=9)}
        elif number == 15:
            ids = present if present is not None else [m.pk for m in members]
            extra = {"present_ids": ids, "in_favour": len(ids), "against": 0, "abstained": 0}
        services.record_step(candidate=candidate, number=number, on=day, notes=f"第{number}步",
                             by=upper if number in UPPER_STEPS else secretary, **extra)
        candidate.refresh_from_db()
    return candidate
