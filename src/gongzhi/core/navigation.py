"""Navigation adapted to the user's roles, grouped by task.

Each app's AppConfig may declare ``nav_items``: a list of ``NavItem``. An item
shows when its ``visible(user)`` predicate (one of the app's ``can_*``) says so.
Items fall into the task groups of ``GROUPS`` (the same for every role): an item
names its group, or takes its app's (``APP_GROUPS``). A group the user sees one
item of is a plain link; a group of several is a dropdown on wide screens and a
list in the off-canvas menu on phones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy

from .reversal import plain_reverser


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    visible: Callable[[object], bool]
    order: int = 50
    group: str = ""  # a key of GROUPS; empty: the app's group (APP_GROUPS)


#: Task groups of the menu, in menu order: (key, label, icon).
GROUPS = [
    ("home", pgettext_lazy("menu", "Home"), "house"),
    ("organization", pgettext_lazy("menu", "Organization"), "diagram-3"),
    ("life", pgettext_lazy("menu", "Party life"), "calendar3"),
    ("service", pgettext_lazy("menu", "Service"), "heart"),
    ("residents", pgettext_lazy("menu", "Residents"), "megaphone"),
    ("oversight", pgettext_lazy("menu", "Oversight"), "shield-check"),
    ("stats", pgettext_lazy("menu", "Statistics"), "bar-chart"),
    ("system", pgettext_lazy("menu", "System"), "gear"),
]
APP_GROUPS = {
    "orgs": "organization", "members": "organization", "meetings": "life", "learning": "life",
    "service": "service", "points": "service", "recognition": "service", "voice": "residents", "care": "residents",
    "publicity": "oversight", "supervision": "oversight", "democracy": "oversight", "money": "oversight",
    "dashboards": "stats", "reports": "stats", "core": "system", "accounts": "system",
}


def _items() -> list[tuple[str, NavItem]]:
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", []):
            items.append((item.group or APP_GROUPS.get(config.label, "system"), item))
    return items


@cache
def _sorted_items() -> tuple[tuple[str, NavItem], ...]:
    """Every app's items in menu order, collected once per process (they do not change; whom they show to
    is decided per request)."""
    return tuple(sorted(_items(), key=lambda pair: pair[1].order))


def navigation_for(request) -> list[dict]:
    """The user's menu: ``[{key, label, icon, items: [{label, url, url_name, icon, active, index}], active}]``
    (``index``: the item's place among every app's items, by which ``menu_html`` knows it)."""
    user = request.user
    current = request.path
    url_of = plain_reverser()
    by_group: dict[str, list[dict]] = {}
    for index, (group, item) in enumerate(_sorted_items()):
        if item.visible(user):
            url = url_of(item.url_name)
            active = current == url or (url != "/" and current.startswith(url))
            by_group.setdefault(group, []).append({"label": item.label, "url": url, "url_name": item.url_name,
                                                   "icon": item.icon, "active": active, "index": index})
    return [{"key": key, "label": label, "icon": icon, "items": by_group[key],
             "active": any(i["active"] for i in by_group[key])}
            for key, label, icon in GROUPS if key in by_group]


def menu_html(nav_items: list[dict]) -> str:
    """The menu's task groups (``navigation_for``) as the markup of ``includes/main_menu.html``, rendered once for
    each different menu — the links a set of roles sees, which of them is active, in one language — and kept: the
    template's thirty-odd links with their conditions cost a page more than all its other markup. A menu is known
    by its items' places, addresses and active marks and the language, so that a page that finds it rendered
    translates none of its labels."""
    return _rendered_menu(get_language(), tuple((item["index"], item["url"], item["active"])
                                                for group in nav_items for item in group["items"]))


@lru_cache(maxsize=256)
def _rendered_menu(language: str, shown: tuple[tuple[int, str, bool], ...]) -> str:
    """The markup of the menu of ``shown`` items (their places in ``_sorted_items``, addresses, active marks),
    rendered in ``language`` — the language in force, which translates the labels."""
    items = _sorted_items()
    by_group: dict[str, list[dict]] = {}
    for index, url, active in shown:
        group, item = items[index]
        by_group.setdefault(group, []).append({"label": str(item.label), "url": url, "url_name": item.url_name,
                                               "icon": item.icon, "active": active})
    groups = [{"key": key, "label": str(label), "icon": icon, "items": by_group[key],
               "active": any(i["active"] for i in by_group[key])}
              for key, label, icon in GROUPS if key in by_group]
    return render_to_string("includes/main_menu.html", {"nav_items": groups})


@dataclass(frozen=True)
class OrgLink:
    """A link an app adds to an organization's page (its statistics, its ledger, …)."""

    label: str
    url_name: str
    icon: str
    visible: Callable[[object, object], bool]  # (user, organization) -> bool
    kinds: tuple[str, ...] = ()  # organization kinds it applies to; empty: every kind


def organization_links(user, organization) -> list[dict]:
    links: list[OrgLink] = []
    for config in apps.get_app_configs():
        links.extend(getattr(config, "org_links", []))
    return [
        {"label": link.label, "url": reverse(link.url_name, args=[organization.pk]), "icon": link.icon}
        for link in links
        if (not link.kinds or organization.kind in link.kinds) and link.visible(user, organization)
    ]
