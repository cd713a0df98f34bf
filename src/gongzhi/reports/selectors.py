"""Reads of the reports, scoped by capability: a report is opened by those who may write one for its
organization now (a revoked role loses it on the next request, whoever asked for the report)."""

from __future__ import annotations

from django.db.models import Q

from gongzhi.orgs.models import Organization

from .models import StatisticsWorkbook, SummaryDraft, WorkSummary
from .permissions import STATISTICS, WRITE_SUMMARY


def summary_organizations(user):
    return Organization.objects.where_user_can(user, WRITE_SUMMARY).filter(is_active=True).order_by("path")


def statistics_organizations(user):
    return Organization.objects.where_user_can(user, STATISTICS).filter(is_active=True).order_by("path")


def summaries_for(user):
    return WorkSummary.objects.where_user_can(user, WRITE_SUMMARY).select_related("organization", "job")


def workbooks_for(user):
    return StatisticsWorkbook.objects.where_user_can(user, STATISTICS).select_related("organization", "job")


def my_reports(user, limit: int = 50) -> dict:
    """The summaries and workbooks the user asked for, newest first ("my reports")."""
    return {"summaries": list(summaries_for(user).filter(created_by=user)[:limit]),
            "workbooks": list(workbooks_for(user).filter(created_by=user)[:limit])}


def others_summaries(user, limit: int = 50) -> list:
    """Summaries in the user's scope that colleagues asked for (a secretary edits what staff started)."""
    return list(summaries_for(user).exclude(created_by=user)[:limit])


def history(summary) -> list:
    return list(SummaryDraft.objects.filter(summary=summary).select_related("saved_by")[:30])


def feedback_units(user) -> list:
    """Co-building units the user sends feedback to (an agreement with a community the user runs) or belongs
    to."""
    from gongzhi.orgs.models import CoBuildingUnit

    from .permissions import READ_UNIT_FEEDBACK, UNIT_FEEDBACK

    sending = Organization.objects.where_user_can(user, UNIT_FEEDBACK).values("pk")
    own = Organization.objects.where_user_can(user, READ_UNIT_FEEDBACK).values("pk")
    return list(CoBuildingUnit.objects.filter(
        Q(pk__in=CoBuildingUnit.objects.filter(agreements__community__in=sending).values("pk"))
        | Q(organization__in=own)).order_by("name"))
