"""Registries the apps contribute to and the workbench, dashboards and reports collect.

Each app declares, in modules of its own, what it has to offer; nothing above the apps
computes a figure or a to-do item of its own (Decidim's modules register their statistics
and exports the same way):

* ``todo.py`` — ``SOURCES``: a list of ``TodoSource``: the things a user has to do (待办);
* ``stats.py`` — ``FIGURES``: a list of ``Figure``: the app's figures for an organization's
  subtree and a period, computed from the database;
* ``exports.py`` — ``SECTIONS``: a list of ``ReportSection``: the app's part of the (annual) work
  summary.

Both are collected with ``collect("todo", "SOURCES")`` / ``collect("stats", "FIGURES")`` in the
order of ``settings.GONGZHI_APPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings


def collect(module: str, attribute: str) -> list:
    """``attribute`` of every app's ``module`` (e.g. ``collect("stats", "FIGURES")``)."""
    return list(_collected(tuple(settings.GONGZHI_APPS), module, attribute))


@cache
def _collected(gongzhi_apps: tuple[str, ...], module: str, attribute: str) -> tuple:
    """What the apps declare, gathered once per process: the declarations do not change while it runs, and
    looking for a module that an app does not have searches the file system (every page's menu asks for the
    to-do sources)."""
    found: list = []
    for app in gongzhi_apps:
        if find_spec(f"{app}.{module}") is not None:
            found.extend(getattr(import_module(f"{app}.{module}"), attribute, []))
    return tuple(found)


# -- to-do (待办) ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TodoItem:
    """One thing to do: what, where it is done, and by when."""

    title: str
    url: str
    due: date | None = None
    overdue: bool = False
    detail: str = ""


@dataclass(frozen=True)
class TodoSource:
    """A kind of thing to do, e.g. "requests due or overdue".

    ``applies(user)`` decides without a query whether the source concerns the user at all (a role
    check). ``count(user)`` is one query; ``items(user, limit)`` at most a few, whatever the data
    size. ``url_name`` is the page where all of them are listed and done.
    """

    key: str
    label: str
    icon: str
    url_name: str
    applies: Callable[[Any], bool]
    count: Callable[[Any], int]
    items: Callable[[Any, int], list[TodoItem]]
    order: int = 50


# -- figures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One figure of the platform for an organization's subtree over a period.

    ``compute(organization, period)`` returns a number (``int``, ``Decimal`` or ``None`` when it
    has no meaning, e.g. a rate over nobody) with a bounded number of queries. ``unit`` is one
    of ``UNITS``. ``area`` groups figures on dashboards and in the work summary (``AREAS``).
    ``breakdown(organization, period)`` optionally gives a distribution: ``[(label, number), …]``.
    ``at_date`` figures describe a moment (the period's end), not a flow over the period.
    ``by_children`` and ``by_months``, where given, must give exactly what ``compute`` gives for each child or
    month (tested against it), in one or two queries instead of one per child or month.
    """

    key: str
    label: str
    unit: str
    area: str
    compute: Callable[[Any, Any], int | Decimal | None]
    description: str = ""
    breakdown: Callable[[Any, Any], list[tuple[str, int | Decimal]]] | None = None
    at_date: bool = False
    higher_is_better: bool | None = True
    kinds: tuple[str, ...] = field(default=())  # organization kinds it applies to; empty: every kind
    # Optional grouped forms, the same numbers in one query for many (dashboards' bars and trends):
    # ``by_children(parent, children, period)`` → {child pk: value} for children of ``parent``;
    # ``by_months(organization, months)`` → [value per month] for consecutive calendar months.
    by_children: Callable[[Any, list, Any], dict[int, int | Decimal | None]] | None = None
    by_months: Callable[[Any, list], list[int | Decimal | None]] | None = None


UNITS = ("count", "people", "percent", "hours", "points", "yuan", "days", "times")
AREAS = ("organization", "life", "education", "service", "residents", "care", "money", "democracy",
         "supervision")


# -- work summary sections ---------------------------------------------------------------------

@dataclass(frozen=True)
class ReportSection:
    """An app's section of the work summary of an organization's subtree over a period.

    ``build(organization, period)`` returns ``{"title": str, "paragraphs": [str, …], "rows": [(label,
    value), …]}`` computed from the database with a bounded number of queries; numbers only where a
    record's content must stay with those who handle it (complaints).
    """

    key: str
    title: str
    build: Callable[[Any, Any], dict]
    order: int = 50


# -- references for the democratic appraisal ------------------------------------------------------

@dataclass(frozen=True)
class AppraisalReference:
    """Something an app knows about members that the branch weighs in their yearly appraisal (e.g. the
    residential community's evaluation of a member who reported there). ``lookup(member_ids, year)``
    returns ``{member_id: [text, …]}`` in one or two queries."""

    key: str
    lookup: Callable[[list[int], int], dict[int, list[str]]]


def appraisal_references(member_ids: list[int], year: int) -> dict[int, list[str]]:
    """Every app's references (``appraisal.py``: ``REFERENCES``) for the members, by member id."""
    found: dict[int, list[str]] = {}
    for reference in collect("appraisal", "REFERENCES"):
        for member_id, texts in reference.lookup(member_ids, year).items():
            found.setdefault(member_id, []).extend(texts)
    return found


def report_sections() -> list[ReportSection]:
    return sorted(collect("exports", "SECTIONS"), key=lambda s: s.order)


def figures() -> list[Figure]:
    return collect("stats", "FIGURES")


def figure(key: str) -> Figure:
    for item in figures():
        if item.key == key:
            return item
    raise KeyError(key)


def todo_sources() -> list[TodoSource]:
    return list(_sorted_todo_sources(tuple(settings.GONGZHI_APPS)))


@cache
def _sorted_todo_sources(gongzhi_apps: tuple[str, ...]) -> tuple[TodoSource, ...]:
    return tuple(sorted(_collected(gongzhi_apps, "todo", "SOURCES"), key=lambda s: s.order))
