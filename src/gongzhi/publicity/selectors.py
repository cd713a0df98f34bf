"""Page-level reads of the publicity board and the news, shared by pages, the API and the figures."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import catalogue
from .models import Acknowledgement, Category, Item, ItemQuestion, ItemStatus, Post, PostStatus
from .permissions import APPROVE_ITEM, PREPARE_ITEM, READ_BOARD


def boards_for(user, capability=READ_BOARD):
    """The communities and villages whose board the user may read (or act on, with ``capability``)."""
    return (Organization.objects.where_user_can(user, capability).filter(kind__in=COMMUNITY_LEVEL, is_active=True)
            .order_by("path"))


def board_summaries(user, today: date) -> list[dict]:
    """Each board the user reads with its current items, items awaiting approval and overdue publications:
    four queries plus the catalogue's five, whatever the number of boards."""
    boards = list(boards_for(user))
    ids = [b.pk for b in boards]
    counts = {row["organization_id"]: row for row in Item.objects.filter(organization_id__in=ids).values(
        "organization_id").annotate(
        pending=Count("id", filter=Q(status=ItemStatus.PENDING)),
        drafts=Count("id", filter=Q(status=ItemStatus.DRAFT)),
        current=Count("id", filter=Q(status=ItemStatus.PUBLISHED, visible_from__lte=today)
                      & (Q(visible_until__isnull=True) | Q(visible_until__gte=today)))).order_by()}
    late: dict[int, int] = {}
    for due in catalogue.overdue(boards, today):
        late[due.organization.pk] = late.get(due.organization.pk, 0) + 1
    return [{"organization": b, "pending": counts.get(b.pk, {}).get("pending", 0),
             "drafts": counts.get(b.pk, {}).get("drafts", 0), "current": counts.get(b.pk, {}).get("current", 0),
             "overdue": late.get(b.pk, 0)} for b in boards]


def grouped_by_category(items, kind: str) -> list[dict]:
    groups = {c: [] for c in Category.values}
    for item in items:
        groups[item.category].append(item)
    return [{"category": c, "label": Category.label_for(c, kind), "items": groups[c]} for c in Category.values]


def public_board(organization, today: date) -> dict:
    """What the public page shows: the current items by category and the latest public news."""
    items = list(Item.objects.current(today).filter(organization=organization)
                 .annotate(files=Count("attachments")).order_by("-visible_from", "-id"))
    posts = list(Post.objects.public().filter(organization=organization).order_by("-published_at", "-id")[:6])
    return {"groups": grouped_by_category(items, organization.kind), "posts": posts,
            "archived": Item.objects.archived(today).filter(organization=organization).count()}


def public_archive(organization, today: date, *, year: int | None = None, category: str = ""):
    items = (Item.objects.archived(today).filter(organization=organization)
             .select_related("organization").order_by("-visible_from", "-id"))
    if year:
        items = items.filter(visible_from__year=year)
    if category in Category.values:
        items = items.filter(category=category)
    return items


def is_public(item: Item, today: date) -> bool:
    """Whether the public may open the item: on the board now, or in the archive (a withdrawn item shows
    its history, not its text)."""
    if item.status == ItemStatus.WITHDRAWN:
        return True
    return item.status == ItemStatus.PUBLISHED and item.visible_from <= today


def answered_questions(item: Item, limit: int = 20) -> list[dict]:
    """The residents' questions about an item that have been answered, with the answer: anonymised like the
    request module's public list (no names, phone or house numbers)."""
    from gongzhi.voice.models import EventKind, RequestEvent, Status
    from gongzhi.voice.selectors import anonymise, community_names

    questions = list(ItemQuestion.objects.filter(item=item, request__status__in=[
        Status.ANSWERED, Status.RESOLVED, Status.CLOSED]).select_related("request").order_by("-created_at")[:limit])
    if not questions:
        return []
    answers: dict[int, str] = {}
    for event in RequestEvent.objects.filter(request_id__in=[q.request_id for q in questions],
                                             kind__in=[EventKind.ANSWERED, EventKind.RESOLVED]).order_by(
            "created_at", "id"):
        answers[event.request_id] = event.note
    names = community_names(item.organization)
    rows = []
    for question in questions:
        text = question.request.text[question.text_offset:]
        rows.append({"asked": question.created_at, "question": anonymise(text, names),
                     "answer": anonymise(answers.get(question.request_id, ""), names)})
    return rows


def questions_for_staff(item: Item) -> list:
    return list(ItemQuestion.objects.filter(item=item).select_related("request__handler").order_by("-created_at"))


def pending_for(user):
    """Items awaiting the approval of this user (never his or her own)."""
    return (Item.objects.where_user_can(user, APPROVE_ITEM).filter(status=ItemStatus.PENDING)
            .exclude(created_by=user).select_related("organization", "created_by").order_by("submitted_at", "id"))


def overdue_for(user, today: date, organization=None) -> list:
    boards = boards_for(user)
    if organization is not None:
        boards = boards.filter(path__startswith=organization.path)
    return catalogue.overdue(list(boards), today)


def dues_by_entry(organization, today: date) -> list[dict]:
    """The board's catalogue with, for each entry, its publications owed: met (on time or late), open and
    overdue, the latest first."""
    entries = catalogue.entries_for([organization]).get(organization.pk, [])
    dues = catalogue.dues_for([organization], today)
    by_key: dict[str, list] = {}
    for due in dues:
        by_key.setdefault(due.entry.key, []).append(due)
    return [{"entry": e, "dues": sorted(by_key.get(e.key, []), key=lambda d: d.due_on, reverse=True)}
            for e in entries]


# --- news ----------------------------------------------------------------------------------------------


def feed_for(user):
    """The published news and notices addressed to the user, the newest first."""
    return (Post.objects.visible_to(user).filter(status=PostStatus.PUBLISHED)
            .select_related("organization", "activity").annotate(photo_count=Count("photos"))
            .order_by("-published_at", "-id"))


def managed_posts(user):
    from .permissions import PUBLISH_POST

    return (Post.objects.where_user_can(user, PUBLISH_POST).select_related("organization", "created_by")
            .order_by("status", "-published_at", "-created_at"))


def ack_share(post: Post) -> dict:
    """How many of the notice's readers confirmed they have read it (for staff): three queries."""
    from .services import audience_user_ids

    audience = audience_user_ids(post)
    acknowledged = Acknowledgement.objects.filter(post=post).count()
    return {"acknowledged": acknowledged, "audience": len(audience),
            "share": acknowledged / len(audience) if audience else None}


def acknowledged_by(post: Post, user) -> bool:
    return getattr(user, "is_authenticated", False) and Acknowledgement.objects.filter(post=post,
                                                                                       user=user).exists()


def item_counts(organization, period) -> dict:
    """Items published in a period in the organization's subtree, by category."""
    rows = (Item.objects.filter(organization__path__startswith=organization.path,
                                status__in=[ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN],
                                published_at__date__gte=period.start, published_at__date__lte=period.end)
            .values("category").annotate(n=Count("id")).order_by())
    return {row["category"]: row["n"] for row in rows}


def preparable_boards(user):
    return boards_for(user, PREPARE_ITEM)


def today() -> date:
    return timezone.localdate()
