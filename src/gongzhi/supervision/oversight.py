"""What the supervision committee reads, as links from its page to each organization it oversees.

Any app may list, in its own ``oversight.py``, ``LINKS``: ``core.navigation.OrgLink`` entries (the dues and
funds ledgers, 四议两公开 matters, …); the committee's page collects them (``registries.collect``), so that
an app below supervision adds itself without importing it. A link's page takes the organization as its
argument, or, when it takes none, as ``?org=<pk>``.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.navigation import OrgLink
from gongzhi.core.registries import collect
from gongzhi.core.scoping import covers
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL


def _board(user, organization) -> bool:
    from gongzhi.publicity.permissions import can_read_board

    return can_read_board(user, organization)


def _meetings(user, organization) -> bool:
    from gongzhi.meetings.permissions import can_see_stats, can_use_meetings

    return can_use_meetings(user) and can_see_stats(user, organization)


def _compliance(user, organization) -> bool:
    from gongzhi.meetings.permissions import can_see_compliance

    return can_see_compliance(user)


def _audit(user, organization) -> bool:
    from gongzhi.core.capabilities import can

    from .permissions import READ_AUDIT_LOG

    return can(user, READ_AUDIT_LOG, organization)


def _requests(user, organization) -> bool:
    from gongzhi.voice.permissions import can_see_queue

    return can_see_queue(user) and covers(user, organization)


LINKS = [
    OrgLink(_("Publicity board"), "publicity:board", "clipboard-check", _board, kinds=tuple(COMMUNITY_LEVEL)),
    OrgLink(_("Overdue publications"), "publicity:overdue", "clipboard-x", _board, kinds=tuple(COMMUNITY_LEVEL)),
    OrgLink(_("Meetings and their minutes"), "meetings:calendar", "calendar3", _meetings,
            kinds=tuple(COMMUNITY_LEVEL | BRANCH_LEVEL | GROUP_LEVEL)),
    OrgLink(_("Attendance statistics"), "meetings:stats", "people", _meetings,
            kinds=tuple(COMMUNITY_LEVEL | BRANCH_LEVEL | GROUP_LEVEL)),
    OrgLink(_("Three meetings and one lesson: compliance"), "meetings:compliance", "check2-square", _compliance,
            kinds=tuple(COMMUNITY_LEVEL)),
    OrgLink(_("Resident requests"), "voice:queue", "megaphone", _requests, kinds=tuple(COMMUNITY_LEVEL)),
    OrgLink(_("Audit log"), "supervision:audit", "journal-text", _audit),
]


def _url(url_name: str, organization) -> str:
    try:
        return reverse(url_name, args=[organization.pk])
    except NoReverseMatch:
        return f"{reverse(url_name)}?org={organization.pk}"


def links_for(user, organization) -> list[dict]:
    return [{"label": link.label, "url": _url(link.url_name, organization), "icon": link.icon}
            for link in collect("oversight", "LINKS")
            if (not link.kinds or organization.kind in link.kinds) and link.visible(user, organization)]
