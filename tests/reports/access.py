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
    PageCase("reports:index", allowed=STAFF),
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
