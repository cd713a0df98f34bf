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
