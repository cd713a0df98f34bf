"""The menu (``core.navigation``): each user's own links, in the request's language, the page's link marked active.
Its markup is kept for each menu once rendered (the items shown, their addresses and active marks, the language),
so that a page finds it without translating a label: nothing of one user's or one language's menu reaches another's.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.urls import reverse

from gongzhi.core import navigation


@pytest.fixture
def world(world_copy):
    return world_copy


@pytest.fixture
def fresh_menus():
    navigation._rendered_menu.cache_clear()
    yield
    navigation._rendered_menu.cache_clear()


_PERSONAS = ["community_secretary", "member", "resident", "treasurer_a", "security_admin", "unit_admin"]


def _menu(response) -> str:
    body = response.content.decode()
    found = re.search(r'<ul class="navbar-nav me-auto main-menu">.*?\n      </ul>', body, re.S)
    assert found, "the page shows the menu"
    return found.group(0)


def _menus(client_for, personas, path="/", language="zh-hans") -> dict[str, str]:
    menus = {}
    for persona in personas:
        response = client_for(persona).get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, persona
        menus[persona] = _menu(response)
    return menus


def test_each_user_sees_his_own_menu_whoever_opened_a_page_before(client_for, fresh_menus):
    first = _menus(client_for, _PERSONAS)
    navigation._rendered_menu.cache_clear()
    second = _menus(client_for, list(reversed(_PERSONAS)))
    assert first == second
    members = f'href="{reverse("members:list")}"'
    accounts = f'href="{reverse("accounts:manage")}"'
    assert members in first["community_secretary"] and members not in first["member"]
    assert accounts in first["security_admin"] and accounts not in first["member"]
    assert len(set(first.values())) == len(_PERSONAS)  # six roles, six menus


def test_the_menu_speaks_the_language_of_the_request(client_for, fresh_menus):
    chinese = _menus(client_for, ["community_secretary"], language="zh-hans")["community_secretary"]
    english = _menus(client_for, ["community_secretary"], language="en")["community_secretary"]
    again = _menus(client_for, ["community_secretary"], language="zh-hans")["community_secretary"]
    assert "Party members" in english and "党员" not in english
    assert "党员" in chinese and "Party members" not in chinese
    assert again == chinese


def test_the_page_link_is_marked_active_on_its_page_only(client_for, fresh_menus):
    members = reverse("members:list")
    on_list = _menus(client_for, ["community_secretary"], path=members)["community_secretary"]
    at_home = _menus(client_for, ["community_secretary"])["community_secretary"]
    link = rf'<a class="[^"]*active[^"]*" aria-current="page" href="{re.escape(members)}"'
    assert re.search(link, on_list) and not re.search(link, at_home)


class _CountedLabel:
    """A menu item's label that counts how often it is translated (made a string)."""

    def __init__(self, label, counts: list):
        self.label, self.counts = label, counts

    def __str__(self) -> str:
        self.counts.append(self.label)
        return str(self.label)


def test_a_menu_once_rendered_translates_no_label(client_for, fresh_menus, monkeypatch):
    """The next page of a menu already rendered finds its markup by the items' places, addresses and active marks
    and the language: none of its labels is translated again."""
    counts: list = []
    items = tuple((group, dataclasses.replace(item, label=_CountedLabel(item.label, counts)))
                  for group, item in navigation._sorted_items())
    monkeypatch.setattr(navigation, "_sorted_items", lambda: items)
    client = client_for("community_secretary")
    first = _menu(client.get("/"))
    assert counts  # rendered once, its labels translated
    counts.clear()
    assert _menu(client.get("/")) == first
    assert _menu(client_for("community_secretary").get("/")) == first
    assert counts == []
