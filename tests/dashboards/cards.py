"""Reading a dashboard page's figure cards as a visitor reads them: the value, the change and the value before."""

from __future__ import annotations

import html
import re

_CARD = re.compile(r'data-figure-key="(?P<key>[^"]+)".*?<div class="figure-value" data-value>(?P<value>[^<]*)</div>'
                   r'\s*(?:<div class="small figure-change[^"]*">(?P<change>[^<]*?) <span class="text-body-secondary">'
                   r'(?P<before>[^<]*)</span>)?', re.DOTALL)
_BEFORE = re.compile(r"[(（][^:：]*[:：]\s*(?P<previous>.*?)[)）]$")


def card(page: str, key: str) -> dict[str, str] | None:
    """The card of figure ``key`` on ``page`` (its HTML): ``value``, and ``change`` and ``previous`` when the card
    shows a change; ``None`` when the page has no such card."""
    for found in _CARD.finditer(page):
        if found["key"] != key:
            continue
        shown = {"value": html.unescape(found["value"])}
        if found["change"] is not None:
            shown["change"] = html.unescape(found["change"])
            shown["previous"] = _BEFORE.match(html.unescape(found["before"]))["previous"]
        return shown
    return None
