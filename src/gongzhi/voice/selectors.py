"""Figures about requests, computed from the database, and text made safe for public pages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from .models import Rating, Request, Status

GROUPS = {"community": ("community_id", "community__name"), "category": ("category", None),
          "handler": ("handler_id", "handler__name")}

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:1\d{2}[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-?\d{7,8}|\d{7,})(?!\d)")
_HOUSE = re.compile(r"\d+\s*(?:号楼|栋|幢|座)(?:\s*\d+\s*单元)?(?:\s*\d+\s*(?:室|号|户)?)?"
                    r"|\d+\s*单元(?:\s*\d+\s*(?:室|号|户)?)?|\d+\s*(?:室|户)|\d+\s*号院?")


# The most common surnames: "王阿姨", "李师傅", "老张", "小刘" name a person even without the given name.
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜"
            "戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
_SURNAME = f"[{SURNAMES}]"
_ADDRESSED = re.compile(
    rf"{_SURNAME}(?:先生|女士|小姐|阿姨|大爷|大妈|大娘|奶奶|爷爷|师傅|老师|大哥|大姐|叔叔|婶婶|老太太|老爷子)"
    rf"|[老小]{_SURNAME}(?=[家头说的讲反映等和也在是]|[^\u4e00-\u9fff]|$)")


def _names_pattern(names) -> re.Pattern | None:
    names = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)) if names else None


def anonymise(text: str, names=None) -> str:
    """Strip ID numbers, phone-like numbers, house numbers (3号楼2单元101室) and people's names from
    free text: the ``names`` given (the residents and members of the community) and ways of
    addressing someone by surname (王阿姨, 李师傅, 老张)."""
    text = _ID_NUMBER.sub("***", text or "")
    text = _HOUSE.sub("***", _PHONE.sub("***", text))
    pattern = names if isinstance(names, re.Pattern) else _names_pattern(names or ())
    if pattern is not None:
        text = pattern.sub("某某", text)
    return _ADDRESSED.sub("某某", text)


def community_names(community) -> re.Pattern | None:
    """The names of the people of a community (residents, and members living or held there)."""
    from django.db.models import Q as _Q

    from gongzhi.members.models import Member, Resident

    names = list(Resident.objects.filter(community=community).values_list("name", flat=True))
    names += Member.objects.filter(_Q(community=community) | _Q(home_org__path__startswith=community.path)
                                   ).values_list("name", flat=True)
    return _names_pattern(names)


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
    names = community_names(community) if reqs else None
    return [{"category": r.get_category_display(), "received": r.created_at, "resolved": r.resolved_at,
             "text": anonymise(r.text, names), "answer": anonymise(answers.get(r.pk, ""), names),
             "handler": r.handler.name if r.handler else "", "rating": r.get_rating_display() if r.rating else ""}
            for r in reqs]


def queue_for(user):
    """Requests whose community or handling organization lies in the user's subtrees."""
    return Request.objects.in_scope_of(user)


class RequestRow(NamedTuple):
    """One request of the API's queue, read as values: the columns the API shows and what deciding its contact
    details needs (the resident's name and account, the community's and the handler's path and kind), without a
    model instance per request, resident, community and handler."""

    id: int
    community_id: int
    category: str
    status: str
    text: str
    anonymous: bool
    handler_id: int | None
    created_at: datetime
    first_answer_due: datetime
    resolution_due: date
    deadline_provisional: bool
    contact_phone: str
    resident_id: int | None
    resident_name: str | None
    resident_user_id: int | None
    community_path: str
    community_kind: str
    handler_path: str | None
    handler_kind: str | None

    model = Request  # the record a row stands for


REQUEST_FIELDS = ("id", "community_id", "category", "status", "text", "anonymous", "handler_id", "created_at",
                  "first_answer_due", "resolution_due", "deadline_provisional", "contact_phone", "resident_id",
                  "resident__name", "resident__user_id", "community__path", "community__kind", "handler__path",
                  "handler__kind")


def contacts_of(user):
    """``contact_of`` for the rows of a page read as values (``RequestRow``): the function row → (resident name,
    masked phone), the user's paths found once."""
    from gongzhi.core.personal import mask_phone

    from .permissions import contact_visible_where

    visible, user_id = contact_visible_where(user), getattr(user, "pk", None)

    def contact(row: RequestRow) -> tuple[str, str]:
        own = row.resident_id is not None and row.resident_user_id == user_id
        if row.anonymous or not (own or visible(row.anonymous, row.handler_path, row.handler_kind, row.community_path,
                                                row.community_kind)):
            return "", ""
        return (row.resident_name if row.resident_id else ""), mask_phone(row.contact_phone)

    return contact


def contact_of(user, req) -> tuple[str, str]:
    """(resident name, masked phone) as this user may see them: blank for anonymous requests."""
    from gongzhi.core.personal import mask_phone

    from .permissions import can_see_contact

    own = req.resident_id is not None and req.resident.user_id == getattr(user, "pk", None)
    if req.anonymous or not (own or can_see_contact(user, req)):
        return "", ""
    return (req.resident.name if req.resident_id else ""), mask_phone(req.contact_phone)
