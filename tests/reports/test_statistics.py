"""The statistical tables: every division of the members adds up to the overview's total, in the computed
tables and in the workbook read back; only the subtree is counted; the changes and dual reporting."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Education, MemberCategory, Reporting, ReportingStatus, Sex
from gongzhi.reports import services
from gongzhi.reports.models import ReportStatus
from gongzhi.reports.statistics import compute
from tests.factories import MemberFactory, OrganizationFactory

AT = date(2026, 6, 30)
DIVISIONS = ("sex", "ethnicity", "age", "education", "category", "standing", "status")


@pytest.fixture(scope="module")
def data(module_world, django_db_blocker):
    w = module_world
    with django_db_blocker.unblock():
        OrganizationFactory(code="SA-C1-B1-P2", name="2号楼党小组", kind="group", parent=w.branch_a)
        MemberFactory(home_org=w.branch_a, community=w.community_a, sex=Sex.FEMALE, ethnicity="回族",
                      birth_date=date(1998, 1, 2), education=Education.BACHELOR, category=MemberCategory.STUDENT,
                      joined_on=date(2025, 12, 1), full_member_on=None, status="probationary",
                      probation_ends_on=date(2026, 12, 1))
        MemberFactory(home_org=w.branch_a, community=w.community_a, birth_date=date(1940, 5, 5),
                      education=Education.PRIMARY, joined_on=date(1965, 7, 1), full_member_on=date(1966, 7, 1),
                      lost_contact_since=date(2025, 10, 1))
        MemberFactory(home_org=w.branch_b, community=w.community_a, sex=Sex.FEMALE, birth_date=date(1970, 8, 8),
                      education="", category=MemberCategory.IN_SERVICE, joined_on=date(2026, 3, 1),
                      full_member_on=None, status="probationary", probation_ends_on=date(2027, 3, 1),
                      is_mobile_member=True, mobile_destination="深圳")
        # Not yet a member at the date, and a member of the foreign street: neither counted.
        MemberFactory(home_org=w.branch_a, community=w.community_a, joined_on=date(2026, 9, 1), full_member_on=None,
                      status="probationary", probation_ends_on=date(2027, 9, 1))
        MemberFactory(home_org=w.branch_x, community=w.community_x)
        Reporting.objects.create(member=w.member_reported, community=w.community_a, status=ReportingStatus.ACCEPTED,
                                 decided_at=timezone.make_aware(timezone.datetime(2026, 2, 1)))
    return w


@pytest.fixture
def world(data, db):
    return SimpleNamespace(**vars(data))


def test_every_division_adds_up_to_the_overview(world):
    computed = compute(world.community_a, AT)
    tables, total = computed["tables"], computed["totals"]["members"]
    assert total == 5  # member_a, member_b and the three above joined by the date
    assert tables["overview"]["rows"][0][1] == total
    for key in DIVISIONS:
        assert tables[key]["total"] == total == sum(row[1] for row in tables[key]["rows"]), key
    assert dict((r[0], r[1]) for r in tables["status"]["rows"]) == {"Full members": 3, "Probationary members": 2} \
        or [r[1] for r in tables["status"]["rows"]] == [3, 2]
    branches = tables["branch_size"]["total"]
    assert branches == 2 == sum(row[1] for row in tables["branch_size"]["rows"])
    assert tables["organizations"]["total"] == 4  # two branches, two groups


def test_changes_and_dual_reporting(world):
    tables = compute(world.community_a, AT)["tables"]
    changes = [row[1] for row in tables["changes"]["rows"]]
    assert changes == [1, 0, 0, 1, 1]  # joined in 2026 by the date, transfers, out of contact, mobile
    living, reported, missing, rate = [row[1] for row in tables["dual_reporting"]["rows"]]
    # In-service members living in the community: member_a, the unit's member (reported), and the mobile one.
    assert (living, reported, missing) == (3, 1, 2) and rate == 33.3


def test_the_street_counts_its_communities_and_not_the_foreign_street(world):
    street = compute(world.street_a, AT)["totals"]["members"]
    assert street == 6  # the community's five and the unit's member (held in the unit's organization)


def test_the_workbook_read_back_adds_up_and_the_download_is_logged(world, django_capture_on_commit_callbacks,
                                                                   client_for):
    with django_capture_on_commit_callbacks(execute=True):
        book = services.request_statistics(organization=world.community_a, at_date=AT, language="en",
                                           by=world.users["community_staff"])
    book.refresh_from_db()
    assert book.status == ReportStatus.READY and book.job.status == "done" and book.job.percent == 100
    response = client_for("community_staff").get(f"/reports/statistics/{book.pk}/download/")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    overview = {row[0]: row[1] for row in workbook["Overview"].iter_rows(min_row=4, values_only=True)}
    total = overview["Party members"]
    assert total == 5
    divided = [s for s in workbook.worksheets if s.title.startswith(("By ", "Full and"))]
    assert len(divided) == len(DIVISIONS)
    for sheet in divided:
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        assert rows[-1][0] == "Total" and rows[-1][1] == total, sheet.title
        assert sum(r[1] for r in rows[:-1]) == total, sheet.title
    assert AuditEvent.objects.filter(action="reports.statistics.download", object_id=str(book.pk)).exists()
    assert client_for("branch_secretary_a").get(f"/reports/statistics/{book.pk}/download/").status_code == 404


def test_a_failure_is_kept_on_the_workbook(world, django_capture_on_commit_callbacks, monkeypatch):
    from gongzhi.reports import statistics

    def broken(*args, **kwargs):
        raise ValueError("no members table")

    monkeypatch.setattr(statistics, "compute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        book = services.request_statistics(organization=world.community_a, at_date=AT, language="zh-hans",
                                           by=world.users["community_staff"])
    book.refresh_from_db()
    assert book.status == ReportStatus.FAILED and "no members table" in book.job.message
