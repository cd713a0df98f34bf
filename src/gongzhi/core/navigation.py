"""Navigation adapted to the user's roles.

Each app's AppConfig may declare ``nav_items``: a list of ``NavItem``. An item
shows when its ``visible(user)`` predicate (one of the app's ``can_*``) says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    visible: Callable[[object], bool]
    order: int = 50


def navigation_for(request) -> list[dict]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "nav_items", []))
    user = request.user
    current = request.path
    result = []
    for item in sorted(items, key=lambda i: i.order):
        if item.visible(user):
            url = reverse(item.url_name)
            active = current == url or (url != "/" and current.startswith(url))
            result.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return result


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
