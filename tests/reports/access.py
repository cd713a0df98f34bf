"""Access cases for the reports (tests/test_access_matrix.py).

The staff of the community (secretary, staff) and of the street write the community's summary and produce
its statistical tables; branch secretaries, members, the supervisor and the co-building unit do not. A
summary or a workbook of the foreign street is a 404 to everyone."""

from gongzhi.core.periods import Period
from tests.access import STAFF, ApiCase, PageCase


def _summary(w, own=True):
    from gongzhi.reports import services
    from gongzhi.reports.models import WorkSummary

    organization = w.community_a if own else w.community_x
    found = WorkSummary.objects.filter(organization=organization, status="ready").first()
    if found is None:
        by = w.users["community_secretary" if own else "foreign_secretary"]
        found = services.request_summary(organization=organization, period=Period.year(2026), language="zh-hans",
                                         by=by)
        services.produce_summary(str(found.pk))
    return {"pk": found.pk}


def _workbook(w, own=True):
    from gongzhi.reports import services
    from gongzhi.reports.models import StatisticsWorkbook

    organization = w.community_a if own else w.community_x
    found = StatisticsWorkbook.objects.filter(organization=organization, status="ready").first()
    if found is None:
        from datetime import date

        by = w.users["community_secretary" if own else "foreign_secretary"]
        found = services.request_statistics(organization=organization, at_date=date(2026, 6, 30), language="zh-hans",
                                            by=by)
        services.produce_statistics(str(found.pk))
    return {"pk": found.pk}


PAGE_CASES = [
    PageCase("reports:index", allowed=STAFF | {"unit_admin"}),  # the unit: its feedback
    PageCase("reports:summary_new", allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"organization": w.community_a.pk, "period": "year", "year": "2026",
                             "language": "zh-hans"}),
    PageCase("reports:summary", own=_summary, foreign=lambda w: _summary(w, False), allowed=STAFF),
    PageCase("reports:summary_save", own=_summary, foreign=lambda w: _summary(w, False), allowed=STAFF,
             method="post", ok=frozenset({302}), data=lambda w: {"text-plans": "明年继续开展志愿服务。"}),
    PageCase("reports:summary_restore", own=_summary, foreign=lambda w: _summary(w, False), allowed=STAFF,
             method="post", ok=frozenset({302}), data=lambda w: {"draft": "1"}),
    PageCase("reports:summary_download", own=_summary, foreign=lambda w: _summary(w, False), allowed=STAFF),
    PageCase("reports:statistics_new", allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"organization": w.community_a.pk, "at_date": "2026-06-30", "language": "zh-hans"}),
    PageCase("reports:statistics_download", own=_workbook, foreign=lambda w: _workbook(w, False), allowed=STAFF),
]

API_CASES = [
    ApiCase("get", "/api/reports/summaries", allowed=STAFF),
    ApiCase("get", "/api/reports/summaries/{summary_id}", own=lambda w: {"summary_id": _summary(w)["pk"]},
            foreign=lambda w: {"summary_id": _summary(w, False)["pk"]}, allowed=STAFF),
]


#: The community's staff and the street send feedback and evaluate; the unit's own users read what was sent.
FEEDBACK_SENDERS = STAFF
FEEDBACK_READERS = STAFF | {"unit_admin"}


def _reported(w):
    from django.utils import timezone

    from gongzhi.members.models import Reporting, ReportingStatus

    Reporting.objects.get_or_create(member=w.member_reported, community=w.community_a,
                                    defaults={"status": ReportingStatus.ACCEPTED, "decided_at": timezone.now()})
    return {"pk": w.unit_org.pk}


def _foreign_unit(w):
    from gongzhi.orgs.models import CoBuildingUnit
    from tests.factories import CoBuildingAgreementFactory, CoBuildingUnitFactory, OrganizationFactory

    found = CoBuildingUnit.objects.filter(organization__code="SB-U1").first()
    if found is None:
        org = OrganizationFactory(code="SB-U1", name="外街企业党支部", kind="unit", parent=w.street_b)
        found = CoBuildingUnitFactory(name="外街企业", organization=org)
        CoBuildingAgreementFactory(unit=found, community=w.community_x)
    return found


def _feedback(w, own=True):
    from gongzhi.reports import services
    from gongzhi.reports.models import UnitFeedback

    unit = w.unit if own else _foreign_unit(w)
    community = w.community_a if own else w.community_x
    found = UnitFeedback.objects.filter(unit=unit).first()
    if found is None:
        by = w.users["community_staff" if own else "foreign_secretary"]
        found = services.send_feedback(unit=unit, community=community, period=Period.quarter(2026, 1), by=by)
    return {"pk": found.pk}


PAGE_CASES += [
    PageCase("reports:unit_feedback", own=_reported, foreign=lambda w: {"pk": _foreign_unit(w).organization_id},
             allowed=FEEDBACK_READERS, query="?period=quarter&year=2026&number=1"),
    PageCase("reports:unit_feedback_send", own=_reported, foreign=lambda w: {"pk": _foreign_unit(w).organization_id},
             allowed=FEEDBACK_SENDERS, method="post", ok=frozenset({302}),
             data=lambda w: {"community": w.community_a.pk, "period": "quarter", "year": "2026", "number": "1"}),
    PageCase("reports:unit_evaluate", own=_reported, foreign=lambda w: {"pk": _foreign_unit(w).organization_id},
             allowed=FEEDBACK_SENDERS, method="post", ok=frozenset({302}),
             data=lambda w: {"community": w.community_a.pk, "member": w.member_reported.pk, "year": "2026",
                             "grade": "good"}),
    PageCase("reports:feedback_download", own=_feedback, foreign=lambda w: _feedback(w, False),
             allowed=FEEDBACK_READERS),
]
