"""Figures API: ``GET /api/stats/`` — the figures registry's numbers for one organization and one period,
scoped like the dashboards (an organization the user may not open is a 404), so that another system can
read what the dashboards show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from gongzhi.core.api_types import ObjectId
from gongzhi.core.capabilities import can
from gongzhi.core.edge import api_require
from gongzhi.core.periods import Period, PeriodName, Year
from gongzhi.orgs.models import Organization

from . import selectors
from .permissions import VIEW_DASHBOARD

router = Router(tags=["stats"])


class StatsQuery(Schema):
    org_id: ObjectId
    period: PeriodName = "year"
    year: Year | None = None
    number: int | None = Field(None, ge=1, le=12, description="Half (1–2), quarter (1–4) or month (1–12).")


class StatsBreakdownOut(Schema):
    label: str
    value: Decimal | int | None


class StatsFigureOut(Schema):
    key: str
    label: str
    unit: str
    area: str
    at_date: bool
    value: Decimal | int | None
    previous: Decimal | int | None
    breakdown: list[StatsBreakdownOut] | None


class StatsPeriodOut(Schema):
    kind: str
    start: date
    end: date
    label: str


class StatsOut(Schema):
    organization_id: int
    organization: str
    period: StatsPeriodOut
    previous: StatsPeriodOut
    figures: list[StatsFigureOut]


def _period(query: StatsQuery) -> Period:
    today = timezone.localdate()
    year = query.year or today.year
    if query.period == "year":
        return Period.year(year)
    limit = {"half": 2, "quarter": 4, "month": 12}[query.period]
    current = Period.containing(query.period, today if year == today.year else date(year, 1, 1))
    number = query.number
    if number is None or number > limit:
        return current
    return {"half": Period.half, "quarter": Period.quarter, "month": Period.month}[query.period](year, number)


@router.get("/", response=StatsOut, summary="The registry's figures for an organization and a period")
def stats(request, query: Query[StatsQuery]):
    organization = Organization.objects.visible_to(request.user).filter(pk=query.org_id).first()
    api_require(organization is not None and can(request.user, VIEW_DASHBOARD, organization))
    period = _period(query)
    figures = []
    for v in selectors.figure_values(organization, period):
        rows = (selectors.breakdown(v.figure, organization, period) if v.figure.breakdown is not None else None)
        figures.append({"key": v.figure.key, "label": str(v.figure.label), "unit": v.figure.unit,
                        "area": v.figure.area, "at_date": v.figure.at_date, "value": v.value,
                        "previous": v.previous,
                        "breakdown": None if rows is None else [{"label": label, "value": n} for label, n in rows]})
    return {"organization_id": organization.pk, "organization": organization.name, "period": period.as_dict(),
            "previous": period.previous().as_dict(), "figures": figures}
