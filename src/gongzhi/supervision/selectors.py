"""Page-level reads of supervision: the committee's overview, lists in scope, the audit log of a scope and
the yearly summary of the committee's work. Shared by pages, the API, figures and the work summary."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q

from gongzhi.core.audit import codes_starting_with
from gongzhi.core.models import AuditEvent
from gongzhi.core.periods import Period
from gongzhi.orgs.models import Organization

from .models import (
    Complaint,
    ComplaintStatus,
    Conclusion,
    Rectification,
    RectificationStatus,
    SupervisionItem,
)
from .permissions import READ_AUDIT_LOG, READ_SUPERVISION, RECORD_SUPERVISION, REPORT_RECTIFICATION


def overseen(user):
    """The organizations whose committee the user sits on (where he or she records checks), top first."""
    from gongzhi.core.scoping import minimal_paths

    paths = minimal_paths(RECORD_SUPERVISION.paths(user))
    return Organization.objects.filter(path__in=paths).order_by("path")


def items_for(user):
    return (SupervisionItem.objects.where_user_can(user, READ_SUPERVISION)
            .select_related("organization", "recorded_by").annotate(rectification_count=Count("rectifications")))


def rectifications_for(user):
    """Rectifications the user reads: those in scope and those he or she answers for."""
    query = READ_SUPERVISION.q(user, "organization__path", "organization__kind") | Q(owner=user)
    return Rectification.objects.filter(query).select_related("organization", "owner", "item")


def open_for_owner(user):
    """Open rectifications the user answers for: as the person responsible or a manager of the organization."""
    query = Q(owner=user) | REPORT_RECTIFICATION.q(user, "organization__path", "organization__kind")
    return Rectification.objects.filter(query, status=RectificationStatus.OPEN)


def to_verify(user):
    """Rectifications reported done that the user's committee verifies."""
    return Rectification.objects.where_user_can(user, RECORD_SUPERVISION).filter(status=RectificationStatus.REPORTED)


def complaints_for(user):
    return Complaint.objects.handled_by(user).select_related("organization", "community")


def overview(user, today: date) -> list[dict]:
    """For each organization the committee oversees: its open and overdue rectifications, those awaiting
    verification, complaints open, and checks this year: four queries for each (a committee oversees one
    community or village, or a few)."""
    from .oversight import links_for

    organizations = list(overseen(user))
    rows = []
    rect = Rectification.objects.filter(status__in=[RectificationStatus.OPEN, RectificationStatus.REPORTED])
    complaints = Complaint.objects.handled_by(user).open()
    year = Period.year(today.year)
    for organization in organizations:
        path = organization.path
        counts = rect.filter(organization__path__startswith=path).aggregate(
            open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today, status=RectificationStatus.OPEN)),
            reported=Count("id", filter=Q(status=RectificationStatus.REPORTED)))
        rows.append({
            "organization": organization, **counts,
            "complaints": complaints.filter(organization__path__startswith=path).count(),
            "checks": SupervisionItem.objects.filter(organization__path__startswith=path,
                                                     checked_on__gte=year.start, checked_on__lte=year.end).count(),
            "links": links_for(user, organization)})
    return rows


def audit_events(user, *, organization=None, action: str = "", start: date | None = None,
                 end: date | None = None):
    """The audit log of the user's scope. Rows about a complaint that names the user are left out: a person
    complained about never learns of it here either. The user's own actions are left out too: nobody audits
    his or her own actions alone (another auditor or the committee reads them)."""
    rows = AuditEvent.objects.filter(READ_AUDIT_LOG.q(user, "organization__path", None)).exclude(actor=user)
    if organization is not None:
        rows = rows.filter(organization__path__startswith=organization.path)
    if action:
        rows = rows.filter(Q(action__startswith=action) | Q(action__in=codes_starting_with(action)))
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    naming = Complaint.objects.filter(subject_user=user).values_list("pk", flat=True)
    rows = rows.exclude(object_type="supervision.complaint", object_id__in=[str(pk) for pk in naming])
    return rows.select_related("actor", "organization").order_by("-created_at", "-id")


def yearly_summary(organization, year: int) -> dict:
    """The committee's work in a year for an organization's subtree: checks by area and conclusion,
    rectifications ordered, closed (on time) and still open, complaints received and concluded (on time),
    and the share of the catalogue's publications made on time. Counts only: no complaint's content."""
    from gongzhi.publicity.stats import published_on_time

    period = Period.year(year)
    path = organization.path
    items = SupervisionItem.objects.filter(organization__path__startswith=path, checked_on__gte=period.start,
                                           checked_on__lte=period.end)
    by_area = list(items.values("area").annotate(n=Count("id"), issues=Count(
        "id", filter=Q(conclusion=Conclusion.ISSUES))).order_by("area"))
    rects = Rectification.objects.filter(organization__path__startswith=path, opened_on__gte=period.start,
                                         opened_on__lte=period.end)
    rect = rects.aggregate(ordered=Count("id"), closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)),
                           on_time=Count("id", filter=Q(status=RectificationStatus.CLOSED,
                                                        closed_on__lte=F("deadline"))),
                           still_open=Count("id", filter=~Q(status=RectificationStatus.CLOSED)))
    complaints = Complaint.objects.filter(organization__path__startswith=path, received_on__gte=period.start,
                                          received_on__lte=period.end)
    comp = complaints.aggregate(received=Count("id"), reports=Count("id", filter=Q(kind="report")),
                                anonymous=Count("id", filter=Q(anonymous=True)),
                                concluded=Count("id", filter=Q(status=ComplaintStatus.CONCLUDED)),
                                on_time=Count("id", filter=Q(status=ComplaintStatus.CONCLUDED,
                                                             concluded_on__lte=F("answer_due"))))
    from .models import Area

    for row in by_area:
        row["label"] = Area(row["area"]).label
    return {"organization": organization, "year": year, "period": period, "checks": items.count(),
            "by_area": by_area, "rectifications": rect, "complaints": comp,
            "publications_on_time": published_on_time(organization, period),
            "items": list(items.select_related("organization").order_by("checked_on", "id")[:200])}
