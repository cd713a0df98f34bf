"""Markup written in Python for a hot list page is the markup its template wrote: the keyset pagination's links
(``core.paging.links_html`` against ``includes/keyset_pagination.html``), a row markup's ``%``-template and its
``join_escaped`` (``core.rows.RowMarkup``), and the lists' clocks (``core.rows.local_clock`` against ``strftime``),
in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.html import format_html

from gongzhi.core.paging import KeysetPage, links_html
from gongzhi.core.rows import RowMarkup, local_clock

INCLUDE = engines["django"].from_string('{% include "includes/keyset_pagination.html" with page=page %}')

QUERIES = [{}, {"kind": "culture", "team": "3"}, {"after": "2025-01-01T00:00:00+00:00_5", "q": 'a&b<c>"d'},
           {"before": "x_1", "name": "张三 李四", "z": ["1", "2"]}]
PAGES = [
    KeysetPage(items=[1], first=True),
    KeysetPage(items=[1], first=True, next_cursor="2025-03-01T08:00:00+00:00_12"),
    KeysetPage(items=[1], first=False, previous_cursor="2025-03-01_12", next_cursor="2025-03-08_40"),
    KeysetPage(items=[1], first=False, previous_cursor="2025-03-01_12"),
    KeysetPage(items=[], first=False, previous_cursor='a&"<>_1'),
    KeysetPage(items=[1], first=False),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_pagination_links_are_the_include(language, query):
    request = RequestFactory().get("/service/", query)
    with translation.override(language):
        for page in PAGES:
            assert links_html(request, page) == INCLUDE.render({"page": page}, request), (page, query)


CARD = RowMarkup("""<li data-id="{pk}">{title}{{literal}} 100% {badge}
  <b>{title}</b></li>
""")


def test_a_row_markup_writes_what_str_format_writes():
    rows = [{"pk": 7, "title": 'A & B <"x">', "badge": format_html("<i>{}</i>", "&")},
            {"pk": "8", "title": "%(pk)s %s {title}", "badge": ""}]
    expected = "".join(CARD.markup.format(**{name: _escaped(value) for name, value in row.items()}) for row in rows)
    assert CARD.join(rows) == expected
    assert CARD.join_escaped([{name: _escaped(value) for name, value in row.items()} for row in rows]) == expected


def test_a_markup_with_a_format_spec_keeps_str_format():
    markup = RowMarkup("<td>{amount:>6}</td><td>{label!r}</td>")
    assert markup.join([{"amount": "12", "label": "x"}]) == "<td>    12</td><td>'x'</td>"


def _escaped(value):
    from django.utils.html import conditional_escape

    return conditional_escape(value)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/St_Johns"])
def test_the_lists_clocks_are_strftime(zone):
    moments = [datetime(2025, 1, 1, 0, 0, tzinfo=UTC), datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
               datetime(999, 3, 4, 5, 6, tzinfo=UTC), datetime(2026, 6, 30, 16, 5, tzinfo=UTC)]
    with timezone.override(zone):
        for fmt in ("%Y-%m-%d %H:%M", "%H:%M", "%m-%d"):
            show, local = local_clock(fmt), timezone.get_current_timezone()
            assert [show(m) for m in moments] == [m.astimezone(local).strftime(fmt) for m in moments], fmt
            assert show(None) == ""
