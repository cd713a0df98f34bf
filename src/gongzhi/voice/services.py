"""The life of a request: submission, routing, deadlines, handling steps, rating and escalation.

Every step writes a ``RequestEvent`` in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.fields import lookup
from gongzhi.core.workdays import Deadline, working_day_deadline
from gongzhi.orgs.models import CoBuildingUnit, Organization, UnitKind
from gongzhi.points.models import RuleCode
from gongzhi.points.services import post_points

from .models import (
    OPEN_STATUSES,
    Category,
    DeadlineRule,
    EventKind,
    Rating,
    Request,
    RequestEvent,
    RoutingRule,
    Status,
)

# Category → (first answer within hours, resolved within working days).
DEFAULTS: dict[str, tuple[int, int]] = {
    Category.ENVIRONMENT: (24, 5),
    Category.PROPERTY: (24, 5),
    Category.SAFETY: (4, 2),
    Category.NEIGHBOUR: (48, 10),
    Category.ELDERLY_CHILDREN: (24, 5),
    Category.FACILITIES: (48, 10),
    Category.POLICY: (24, 3),
    Category.OTHER: (48, 10),
}
RATE_LIMIT = 5  # submissions per phone number per hour


def limits_for(community: Organization, category: str) -> tuple[int, int]:
    """The nearest rule among the community and its ancestors, else the default."""
    chain = list(Organization.objects.ancestors_of(community, include_self=True).values_list("pk", flat=True))
    rules = {r.organization_id: r for r in DeadlineRule.objects.filter(organization_id__in=chain, category=category)}
    for pk in reversed(chain):
        if pk in rules:
            return rules[pk].first_answer_hours, rules[pk].resolution_days
    return DEFAULTS[category]


def due_dates(community, category, received: datetime) -> tuple[datetime, Deadline, int]:
    """The first answer's deadline, the resolution's (in working days, ``core.workdays``) and its days."""
    hours, days = limits_for(community, category)
    return received + timedelta(hours=hours), working_day_deadline(timezone.localdate(received), days), days


def route(community: Organization, category: str, grid=None) -> Organization:
    """The handling organization: a rule for the grid, then for the community, then the property company
    (property matters), then the grid's branch, else the community itself."""
    rules = {r.grid_id: r.handler for r in
             RoutingRule.objects.filter(community=community, category=category).select_related("handler")}
    if grid is not None and grid.pk in rules:
        return rules[grid.pk]
    if None in rules:
        return rules[None]
    if category == Category.PROPERTY:
        unit = (CoBuildingUnit.objects.filter(kind=UnitKind.PROPERTY, agreements__community=community,
                                              organization__isnull=False)
                .select_related("organization").first())
        if unit:
            return unit.organization
    if grid is not None and grid.branch_id:
        return grid.branch
    return community


def _event(req, kind, *, actor=None, organization=None, note="", at=None):
    return RequestEvent.objects.create(request=req, kind=kind, actor=actor, organization=organization,
                                       note=note, created_at=at or timezone.now())


def check_rate_limit(phone: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if phone and Request.objects.filter(lookup(Request, "contact_phone", phone),
                                        created_at__gte=now - timedelta(hours=1)).count() \
            >= RATE_LIMIT:
        raise ValidationError(_("This phone number has submitted %(n)d requests in the past hour. "
                                "Please try again later or call the community office.") % {"n": RATE_LIMIT})


@transaction.atomic
def submit(*, community, category, text, channel, grid=None, building=None, address="", anonymous=False,
           contact_phone="", resident=None, by=None, now=None) -> Request:
    now = now or timezone.now()
    check_rate_limit(contact_phone, now)
    if grid is not None and grid.community_id != community.pk:
        raise ValidationError(_("The grid is not in this community."))
    if building is not None:
        if building.grid.community_id != community.pk:
            raise ValidationError(_("The building is not in this community."))
        grid = grid or building.grid
    handler = route(community, category, grid)
    first_due, resolution, days = due_dates(community, category, now)
    req = Request.objects.create(
        community=community, category=category, text=text, channel=channel, grid=grid, building=building,
        address=address, anonymous=anonymous, contact_phone=contact_phone, resident=resident, entered_by=by,
        handler=handler, first_answer_due=first_due, resolution_due=resolution.due, resolution_days=days,
        deadline_provisional=resolution.provisional, created_at=now)
    _event(req, EventKind.SUBMITTED, actor=by, organization=handler, at=now)
    if by is not None:
        audit.record(actor=by, action="voice.request.submit", obj=req, organization=community)
    return req


def _require_status(req, *allowed):
    if req.status not in allowed:
        raise ValidationError(_("This step is not possible while the request is %(status)s.")
                              % {"status": req.get_status_display()})


@transaction.atomic
def accept(req: Request, *, by, note="") -> Request:
    _require_status(req, Status.RECEIVED)
    req.status, req.accepted_at = Status.ACCEPTED, timezone.now()
    req.save(update_fields=["status", "accepted_at"])
    _event(req, EventKind.ACCEPTED, actor=by, organization=req.handler, note=note)
    return req


@transaction.atomic
def reply(req: Request, *, by, note: str) -> Request:
    _require_status(req, Status.RECEIVED, Status.ACCEPTED, Status.ANSWERED)
    if not note.strip():
        raise ValidationError(_("Write the answer."))
    now = timezone.now()
    req.accepted_at = req.accepted_at or now
    req.answered_at = req.answered_at or now
    req.status = Status.ANSWERED
    req.save(update_fields=["status", "accepted_at", "answered_at"])
    _event(req, EventKind.ANSWERED, actor=by, organization=req.handler, note=note.strip())
    return req


@transaction.atomic
def resolve(req: Request, *, by, note: str) -> Request:
    _require_status(req, *OPEN_STATUSES)
    if not note.strip():
        raise ValidationError(_("Say how the request was resolved."))
    now = timezone.now()
    req.accepted_at = req.accepted_at or now
    req.answered_at = req.answered_at or now
    req.resolved_at, req.status = now, Status.RESOLVED
    req.save(update_fields=["status", "accepted_at", "answered_at", "resolved_at"])
    _event(req, EventKind.RESOLVED, actor=by, organization=req.handler, note=note.strip())
    _post_resolved_points(req, by=by, on=timezone.localdate(now))
    return req


def _post_resolved_points(req: Request, *, by, on) -> None:
    """A request resolved by a party member (a staff member or grid worker who is one) earns him or
    her the ``request_resolved`` points, once per request (a reopened one resolved again adds none)."""
    from gongzhi.members.models import Member

    member = Member.objects.filter(user=by).current().first() if by is not None else None
    if member is not None:
        post_points(member=member, code=RuleCode.REQUEST_RESOLVED, key=f"request_resolved:{req.pk}",
                    occurred_on=on, source=req, organization=req.handler or req.community, by=by)


@transaction.atomic
def transfer(req: Request, *, by, to: Organization, reason: str) -> Request:
    _require_status(req, *OPEN_STATUSES)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the transfer."))
    if to.pk == req.handler_id:
        raise ValidationError(_("The request is already handled there."))
    req.handler = to
    req.save(update_fields=["handler"])
    _event(req, EventKind.TRANSFERRED, actor=by, organization=to, note=reason.strip())
    return req


@transaction.atomic
def rate(req: Request, *, rating: str, comment: str = "") -> Request:
    req = Request.objects.select_for_update().get(pk=req.pk)
    if req.status == Status.CLOSED or req.ratings_given >= 2:
        raise ValidationError(_("This request has already been rated."))
    if req.status != Status.RESOLVED:
        raise ValidationError(_("A request can be rated once it is resolved."))
    if rating not in Rating.values:
        raise ValidationError(_("Choose a rating."))
    now = timezone.now()
    req.rating, req.rating_comment, req.ratings_given = rating, comment.strip()[:500], req.ratings_given + 1
    _event(req, EventKind.RATED, organization=req.handler, note=Rating(rating).label, at=now)
    if rating == Rating.UNSATISFIED and not req.reopened:
        req.reopened, req.status, req.resolved_at = True, Status.ACCEPTED, None
        _event(req, EventKind.REOPENED, organization=req.handler, at=now)
    else:
        req.status = Status.CLOSED
        _event(req, EventKind.CLOSED, organization=req.handler, at=now)
    req.save(update_fields=["rating", "rating_comment", "ratings_given", "reopened", "status", "resolved_at"])
    return req


def overdue(now=None):
    from django.db.models import Q

    now = now or timezone.now()
    return Request.objects.filter(
        Q(status__in=[Status.RECEIVED, Status.ACCEPTED], first_answer_due__lt=now)
        | Q(status__in=OPEN_STATUSES, resolution_due__lt=timezone.localdate(now)))


def escalate(now=None) -> int:
    """Move each overdue request's handler one organization up, once per missed deadline."""
    now = now or timezone.now()
    moved = 0
    for req in overdue(now).select_related("handler__parent"):
        answer_late = req.status in (Status.RECEIVED, Status.ACCEPTED) and req.first_answer_due < now
        resolution_late = req.resolution_due < timezone.localdate(now)
        fields = []
        if answer_late and not req.escalated_answer:
            req.escalated_answer = True
            fields.append("escalated_answer")
        if resolution_late and not req.escalated_resolution:
            req.escalated_resolution = True
            fields.append("escalated_resolution")
        if not fields:
            continue
        with transaction.atomic():
            above = req.handler.parent if req.handler and req.handler.parent_id else req.handler
            note = _("Deadline missed by %(org)s") % {"org": req.handler.name if req.handler else "-"}
            req.handler = above
            req.escalations += 1
            req.save(update_fields=[*fields, "handler", "escalations"])
            _event(req, EventKind.ESCALATED, organization=above, note=note, at=now)
        moved += 1
    return moved


def recount_provisional_deadlines(*, years, **_kwargs) -> int:
    """Count again the resolution deadlines of open requests that were counted Monday to Friday for lack
    of a year's holidays, now that ``years`` are complete; each change leaves a step in the timeline.
    Connected to ``core.signals.workdays_completed``."""
    changed = 0
    pending = (Request.objects.filter(deadline_provisional=True, status__in=OPEN_STATUSES)
               .select_related("community").order_by("pk"))
    for req in pending:
        days = req.resolution_days or limits_for(req.community, req.category)[1]
        deadline = working_day_deadline(timezone.localdate(req.created_at), days)
        if (deadline.due, deadline.provisional) == (req.resolution_due, True):
            continue
        with transaction.atomic():
            before = req.resolution_due
            req.resolution_due, req.deadline_provisional = deadline.due, deadline.provisional
            req.save(update_fields=["resolution_due", "deadline_provisional"])
            if before != deadline.due:
                _event(req, EventKind.DEADLINE, organization=req.handler, note=_(
                    "Resolution due %(before)s → %(after)s: the public holidays of %(years)s are entered now.")
                    % {"before": before.isoformat(), "after": deadline.due.isoformat(),
                       "years": ", ".join(str(y) for y in years)})
                changed += 1
    return changed
