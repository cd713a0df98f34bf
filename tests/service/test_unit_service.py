"""A co-building unit's reported members: their hours and points in a year, the certificates
(a summary and a page each, or one member's), scope and bounded queries."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Reporting, ReportingStatus
from gongzhi.service import services
from tests.factories import MemberFactory

from .factories import activity


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _report(world, member, status=ReportingStatus.ACCEPTED):
    return Reporting.objects.create(member=member, community=world.community_a, status=status)


def _serve(member, *, hours, days_ago=1, org=None, title="楼道清理"):
    a = activity(org, title=title, starts_in=-timedelta(days=days_ago), hours=hours, requires_signup=False)
    checkin, _ = services.check_in(a, member, by=None, at=a.starts_at)
    services.check_out(checkin, by=None, at=a.ends_at)
    return a


@pytest.fixture
def served(world, service_rule):
    """孙红 (held by the unit, reported and accepted) served 2 h + 1 h; 吴芳 (held by the unit, reporting
    still submitted) served 3 h; 赵磊 (branch A) served 2 h."""
    _report(world, world.member_reported)
    pending = MemberFactory(name="吴芳", home_org=world.unit_org, community=world.community_a)
    _report(world, pending, ReportingStatus.SUBMITTED)
    _serve(world.member_reported, hours=2, org=world.branch_a, title="敬老院探访")
    _serve(world.member_reported, hours=1, org=world.community_a, days_ago=2, title="政策宣传")
    _serve(pending, hours=3, org=world.branch_a)
    _serve(world.member_a, hours=2, org=world.branch_a)
    return timezone.localtime(timezone.now() - timedelta(days=1)).year


def _rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_unit_sees_its_reported_members_hours_and_points(world, served, client_for):
    response = client_for("unit_admin").get(reverse("service:unit_service", args=[world.unit_org.pk]),
                                            {"year": served})
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [m.name for m in rows] == [world.member_reported.name]
    assert rows[0].reported_to == world.community_a.name
    assert rows[0].activities == 2 and rows[0].hours == Decimal("3.00")
    if served == timezone.localdate().year:  # the rule gives 2 points an hour
        assert rows[0].points == Decimal("6.0")
    totals = response.context["totals"]
    assert (totals["people"], totals["served"], totals["hours"]) == (1, 1, Decimal("3.00"))
    assert "吴芳" not in response.content.decode() and world.member_a.name not in response.content.decode()


def test_the_certificates_have_a_summary_and_a_page_per_member_and_are_logged(world, served, client_for):
    url = reverse("service:unit_certificate", args=[world.unit_org.pk])
    response = client_for("unit_admin").get(url, {"year": served})
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    summary, page = doc.tables
    assert _rows(summary)[1][:4] == [world.member_reported.name, world.community_a.name, "2", "3.00"]
    assert [r[1] for r in _rows(page)[1:]] == ["政策宣传", "敬老院探访"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{world.member_reported.name}同志" in text and "累计服务3.00小时" in text
    assert f"{world.community_a.name}（盖章）" in text
    event = AuditEvent.objects.get(action="service.certificate.download")
    assert event.detail == {"year": served, "members": [world.member_reported.pk]}


def test_one_members_certificate_and_no_one_elses(world, served, client_for):
    url = reverse("service:unit_certificate", args=[world.unit_org.pk])
    client = client_for("unit_admin")
    response = client.get(url, {"year": served, "member": world.member_reported.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-{world.member_reported.pk}.docx"')
    doc = Document(BytesIO(response.content))
    assert len(doc.tables) == 1 and "共驻共建" not in doc.paragraphs[0].text
    for other in (world.member_a.pk, world.member_x.pk, "x"):  # not the unit's, foreign, nonsense
        assert client.get(url, {"year": served, "member": other}).status_code == 404


def test_the_agreement_communitys_secretary_sees_only_members_living_in_scope(world, served, client_for):
    moved = MemberFactory(name="郑远", home_org=world.unit_org, community=world.community_x)
    _report(world, moved)
    url = reverse("service:unit_service", args=[world.unit_org.pk])
    assert "郑远" in client_for("unit_admin").get(url).content.decode()
    assert "郑远" not in client_for("community_secretary").get(url).content.decode()
    assert client_for("foreign_secretary").get(url).status_code == 404


def test_a_bad_year_falls_back_to_this_year(world, served, client_for):
    url = reverse("service:unit_service", args=[world.unit_org.pk])
    for year in ("abc", "1900", "3000"):
        response = client_for("unit_admin").get(url, {"year": year})
        assert response.status_code == 200 and response.context["year"] == timezone.localdate().year


def test_the_page_issues_a_fixed_number_of_queries(world, served, client_for):
    client = client_for("unit_admin")
    url = reverse("service:unit_service", args=[world.unit_org.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"year": served}).status_code == 200
        return len(ctx)

    few = count()
    for i in range(8):
        member = MemberFactory(name=f"单位党员{i}", home_org=world.unit_org, community=world.community_a)
        _report(world, member)
        _serve(member, hours=1, org=world.branch_a, title=f"活动{i}")
    assert count() == few
