"""Feedback to co-building units: only the unit's reported members, their service in the community over the
quarter, the community's evaluation (a reference on the member's appraisal); sent, seen by the unit."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import timezone
from docx import Document

from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.periods import Period
from gongzhi.core.registries import appraisal_references
from gongzhi.members.models import MemberCategory, Post, Reporting, ReportingStatus
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.reports import services
from gongzhi.reports.feedback import rows
from gongzhi.reports.models import UnitFeedback
from gongzhi.service.models import CheckIn
from tests.factories import CoBuildingAgreementFactory, CoBuildingUnitFactory, MemberFactory, OrganizationFactory
from tests.service.factories import activity

Q1 = Period.quarter(2026, 1)


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


@pytest.fixture(scope="module")
def data(module_world, django_db_blocker):
    w = module_world
    with django_db_blocker.unblock():
        accepted = {"status": ReportingStatus.ACCEPTED, "decided_at": _at(date(2026, 1, 5))}
        Reporting.objects.create(member=w.member_reported, community=w.community_a, **accepted)
        # A member of another unit who reported to the same community: never in the tax bureau's feedback.
        other_org = OrganizationFactory(code="SA-U2", name="第一实验小学党支部", kind="unit", parent=w.street_a)
        other_unit = CoBuildingUnitFactory(name="第一实验小学", organization=other_org)
        CoBuildingAgreementFactory(unit=other_unit, community=w.community_a)
        w.teacher = MemberFactory(name="周老师", home_org=other_org, community=w.community_a,
                                  category=MemberCategory.IN_SERVICE)
        Reporting.objects.create(member=w.teacher, community=w.community_a, **accepted)
        served = activity(w.branch_a, starts_in=_at(date(2026, 2, 14)) - timezone.now())
        later = activity(w.branch_a, starts_in=_at(date(2026, 4, 14)) - timezone.now())
        for act, member in ((served, w.member_reported), (later, w.member_reported), (served, w.teacher)):
            CheckIn.objects.create(activity=act, member=member, checked_in_at=act.starts_at, hours=Decimal("2.50"))
        PointEntry.objects.create(member=w.member_reported, organization=w.branch_a, points=Decimal("5.0"),
                                  code=RuleCode.values[0], idempotency_key="test:feedback:1",
                                  occurred_on=date(2026, 2, 14))
        Post.objects.create(organization=w.branch_a, member=w.member_reported, title="楼道长",
                            starts_on=date(2026, 1, 10))
    return w


@pytest.fixture
def world(data, db):
    return SimpleNamespace(**vars(data))


def test_the_feedback_shows_only_the_units_members_and_their_service_in_the_quarter(world):
    found = rows(world.unit, world.community_a, Q1)
    assert [r["name"] for r in found] == ["孙红"]
    row = found[0]
    assert (row["activities"], row["hours"], row["points"], row["posts"]) == (1, "2.50", "5.0", ["楼道长"])
    assert rows(world.unit, world.community_a, Period.quarter(2026, 2))[0]["activities"] == 1


def test_the_evaluation_is_in_the_feedback_and_a_reference_on_the_appraisal(world):
    services.evaluate_member(member=world.member_reported, community=world.community_a, year=2026,
                             grade="excellent", comment="服务积极", by=world.users["community_secretary"])
    assert rows(world.unit, world.community_a, Q1)[0]["evaluation"] == "excellent"
    references = appraisal_references([world.member_reported.pk, world.member_a.pk], 2026)
    assert list(references) == [world.member_reported.pk]
    assert "幸福社区党委" in references[world.member_reported.pk][0]
    assert appraisal_references([world.member_reported.pk], 2025) == {}


def test_only_a_reported_member_is_evaluated(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.evaluate_member(member=world.member_b, community=world.community_a, year=2026, grade="good",
                                 by=world.users["community_secretary"])


def test_sending_freezes_the_rows_and_the_unit_sees_them(world, client_for):
    feedback = services.send_feedback(unit=world.unit, community=world.community_a, period=Q1,
                                      by=world.users["community_staff"])
    assert [r["name"] for r in feedback.rows] == ["孙红"]
    assert Notification.objects.filter(user=world.users["unit_admin"], url__contains="/feedback/").exists()
    page = client_for("unit_admin").get(f"/reports/units/{world.unit_org.pk}/feedback/")
    assert page.status_code == 200 and f"/reports/feedback/{feedback.pk}/download/" in page.content.decode()
    response = client_for("unit_admin").get(f"/reports/feedback/{feedback.pk}/download/")
    assert response.status_code == 200
    table = Document(BytesIO(response.content)).tables[0]
    assert [c.text for c in table.rows[1].cells][:4] == ["孙红", "1", "2.50", "5.0"] and len(table.rows) == 2
    assert AuditEvent.objects.filter(action="reports.feedback.download", actor=world.users["unit_admin"]).exists()
    # The school's users and branch secretaries do not see it; resending updates the one record.
    assert client_for("branch_secretary_a").get(f"/reports/feedback/{feedback.pk}/download/").status_code == 404
    services.send_feedback(unit=world.unit, community=world.community_a, period=Q1, by=world.users["community_staff"])
    assert UnitFeedback.objects.filter(unit=world.unit).count() == 1


def test_the_staff_page_lists_the_quarter_and_evaluates(world, client_for):
    client = client_for("community_secretary")
    page = client.get(f"/reports/units/{world.unit_org.pk}/feedback/?period=quarter&year=2026&number=1")
    body = page.content.decode()
    assert page.status_code == 200 and "孙红" in body and "周老师" not in body
    client.get("/reports/")
    token = client.cookies["csrftoken"].value
    response = client.post(f"/reports/units/{world.unit_org.pk}/evaluate/", {
        "csrfmiddlewaretoken": token, "community": world.community_a.pk, "member": world.member_reported.pk,
        "year": "2026", "grade": "good", "period": "quarter", "number": "1"})
    assert response.status_code == 302
    assert rows(world.unit, world.community_a, Q1)[0]["evaluation"] == "good"
    # A member outside the unit cannot be evaluated through the unit's page.
    response = client.post(f"/reports/units/{world.unit_org.pk}/evaluate/", {
        "csrfmiddlewaretoken": token, "community": world.community_a.pk, "member": world.teacher.pk,
        "year": "2026", "grade": "good"})
    assert response.status_code == 404
