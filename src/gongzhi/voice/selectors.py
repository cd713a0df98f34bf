"""Figures about requests, computed from the database, and text made safe for public pages."""

from __future__ import annotations

import re

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from .models import Rating, Request, Status

GROUPS = {"community": ("community_id", "community__name"), "category": ("category", None),
          "handler": ("handler_id", "handler__name")}

_PHONE = re.compile(r"(?<!\d)(?:1\d{2}[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-?\d{7,8}|\d{7,})(?!\d)")
_HOUSE = re.compile(r"\d+\s*(?:号楼|栋|幢|座)(?:\s*\d+\s*单元)?(?:\s*\d+\s*(?:室|号|户))?"
                    r"|\d+\s*单元(?:\s*\d+\s*(?:室|号|户))?|\d+\s*(?:室|户)|\d+\s*号院?")


def anonymise(text: str) -> str:
    """Strip phone-like numbers and house numbers (3号楼2单元101室) from free text."""
    return _HOUSE.sub("***", _PHONE.sub("***", text or ""))


def _aggregates():
    duration = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    return {
        "received": Count("id"),
        "answered_on_time": Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("first_answer_due"))),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        "resolve_time": Avg(duration, filter=Q(resolved_at__isnull=False)),
        "rated": Count("id", filter=~Q(rating="")),
        "satisfied": Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
    }


def _finish(row: dict) -> dict:
    span = row.pop("resolve_time")
    row["average_hours"] = round(span.total_seconds() / 3600, 1) if span is not None else None
    row["satisfaction_rate"] = row["satisfied"] / row["rated"] if row["rated"] else None
    row["on_time_rate"] = row["answered_on_time"] / row["received"] if row["received"] else None
    return row


def figures(queryset=None, by: str | None = None) -> list[dict] | dict:
    """Received, answered on time, resolved, average hours to resolve, satisfaction rate;
    overall (``by=None``) or per community, category or handler."""
    qs = (queryset if queryset is not None else Request.objects.all()).order_by()
    if by is None:
        return _finish(qs.aggregate(**_aggregates()))
    key, label = GROUPS[by]
    fields = [key] + ([label] if label else [])
    rows = [_finish(dict(row)) for row in qs.values(*fields).annotate(**_aggregates()).order_by(key)]
    if by == "category":
        from .models import Category

        for row in rows:
            row["label"] = Category(row["category"]).label
    else:
        for row in rows:
            row["label"] = row[label]
    return rows


def public_resolved(community, limit: int = 50) -> list[dict]:
    """The community's resolved requests, anonymised: category, dates, text and the handler's answer."""
    reqs = (Request.objects.filter(community=community, status__in=[Status.RESOLVED, Status.CLOSED])
            .select_related("handler").order_by("-resolved_at", "-id")[:limit])
    from .models import EventKind, RequestEvent

    answers = {}
    for event in RequestEvent.objects.filter(request__in=[r.pk for r in reqs], kind=EventKind.RESOLVED):
        answers[event.request_id] = event.note
    return [{"category": r.get_category_display(), "received": r.created_at, "resolved": r.resolved_at,
             "text": anonymise(r.text), "answer": anonymise(answers.get(r.pk, "")),
             "handler": r.handler.name if r.handler else "", "rating": r.get_rating_display() if r.rating else ""}
            for r in reqs]


def queue_for(user):
    """Requests whose community or handling organization lies in the user's subtrees."""
    from gongzhi.core.scoping import scope_paths, subtree_q

    paths = scope_paths(user)
    return Request.objects.filter(subtree_q("community__path", paths) | subtree_q("handler__path", paths))


def contact_of(user, req) -> tuple[str, str]:
    """(resident name, masked phone) as this user may see them: blank for anonymous requests."""
    from gongzhi.core.personal import mask_phone

    from .permissions import can_see_contact

    own = req.resident_id is not None and req.resident.user_id == getattr(user, "pk", None)
    if req.anonymous or not (own or can_see_contact(user, req)):
        return "", ""
    return (req.resident.name if req.resident_id else ""), mask_phone(req.contact_phone)
