"""The demo's reports: 幸福社区's secretary downloads the year's work summary whose every figure is the
registry's, with her edited plans; each co-building unit has its quarter's feedback; the street its workbook."""

from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone, translation
from docx import Document

from gongzhi.accounts.models import User
from gongzhi.core.periods import Period
from gongzhi.orgs.models import CoBuildingUnit, Organization, OrgKind
from gongzhi.reports.figures import applicable, number_text
from gongzhi.reports.models import StatisticsWorkbook, UnitFeedback, WorkSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module."""


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_secretary_downloads_the_years_summary_with_the_registrys_figures(demo):
    xingfu = Organization.objects.get(name="幸福社区党委")
    summary = WorkSummary.objects.get(organization=xingfu, created_by__username="shuji")
    assert summary.status == "ready" and summary.drafts == 1 and "双报到" in summary.narrative["plans"]
    response = _client("shuji").get(f"/reports/summaries/{summary.pk}/download/")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    cells = {row.cells[0].text: row.cells[2].text for table in document.tables for row in table.rows}
    period = Period.year(timezone.localdate().year)
    with translation.override("zh-hans"):
        for figure in applicable(xingfu):
            value = figure.compute(xingfu, period)
            assert cells[str(figure.label)] == (number_text(value) if value is not None else "—"), figure.key
    assert "下一步打算" in "\n".join(p.text for p in document.paragraphs)


def test_each_co_building_unit_has_its_feedback_and_the_street_its_workbook(demo):
    xingfu = Organization.objects.get(name="幸福社区党委")
    units = CoBuildingUnit.objects.filter(agreements__community=xingfu).distinct()
    assert units.count() >= 3
    assert UnitFeedback.objects.filter(community=xingfu).count() == units.count()
    tax = UnitFeedback.objects.get(community=xingfu, unit__name="区税务局")
    assert tax.rows and any(row["evaluation"] == "excellent" for row in tax.rows)
    page = _client("gongjian").get(f"/reports/units/{tax.unit.organization_id}/feedback/")
    assert page.status_code == 200 and f"/reports/feedback/{tax.pk}/download/" in page.content.decode()
    street = Organization.objects.get(kind=OrgKind.STREET)
    book = StatisticsWorkbook.objects.get(organization=street)
    assert book.status == "ready" and book.totals["members"] > 161
    assert _client("jiedao").get(f"/reports/statistics/{book.pk}/download/").status_code == 200
