"""Reports API: the work summaries in the user's scope, and one summary's frozen figures and text (for the
dashboards and for offices that assemble their own documents). Same scoping as the pages."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Router, Schema
from ninja.pagination import paginate

from gongzhi.core.api_types import Rows
from gongzhi.core.edge import api_require
from gongzhi.core.scoping import get_visible_or_404

from . import selectors
from .models import ReportStatus
from .permissions import WRITE_SUMMARY

router = Router(tags=["reports"])


class ReportsSummaryOut(Schema):
    id: UUID
    organization_id: int
    organization_name: str
    period: str
    starts_on: date
    ends_on: date
    status: str
    computed_at: datetime | None


class ReportsSummaryDetailOut(ReportsSummaryOut):
    figures: dict
    narrative: dict[str, str]
    problems: list[dict]


def _out(summary) -> dict:
    return {"id": summary.pk, "organization_id": summary.organization_id,
            "organization_name": summary.organization.name, "period": summary.period_kind,
            "starts_on": summary.starts_on, "ends_on": summary.ends_on, "status": summary.status,
            "computed_at": summary.computed_at}


@router.get("/summaries", response=list[ReportsSummaryOut])
@paginate
def list_summaries(request):
    """The work summaries the user may open, newest first."""
    api_require(WRITE_SUMMARY.anywhere(request.user))
    return Rows(selectors.summaries_for(request.user), lambda page: [_out(s) for s in page])


@router.get("/summaries/{summary_id}", response=ReportsSummaryDetailOut)
def get_summary(request, summary_id: UUID):
    """One summary: its frozen figures (by area, with the previous period) and the current draft."""
    summary = get_visible_or_404(selectors.summaries_for(request.user), request.user, pk=summary_id)
    ready = summary.status == ReportStatus.READY
    return {**_out(summary), "figures": summary.figures if ready else {}, "narrative": summary.narrative,
            "problems": [p for p in summary.problems if p.get("kept")]}
