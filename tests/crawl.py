"""The demo crawl: every page reachable from the demo's menus works on a 375-px phone for the people who use it.

The crawl follows the links each demo account sees (at most two pages of each URL shape) and
checks: no server error, no sideways scrolling of the whole page, the Content-Security-Policy on every
page and no violation of it reported in the console (no inline script, style attribute or handler
anywhere), and no serious accessibility fault on the first page of each URL shape the account reaches
(axe costs the browser more CPU than loading and laying out the page, so it runs once per template
and person: the second page of a shape is the same template with other data). The accounts are
crawled by two test modules, so that pytest-xdist's two workers share the crawl (``--dist loadfile``
sends a whole module to one worker); each module copies the demo (``committed_demo``), which costs less
than the half of the crawl it takes off one worker.

When `make test` runs the suite on both databases at once (scripts/test_both.py sets ``SPLIT``), each
module crawls in one of the two runs only (``SHARES``): every account's pages are crawled once, by one
browser, in one database, instead of twice. What the crawl checks is the browser's side (layout, axe,
CSP), the same on either database; that every page renders on both databases is the access matrix's
check (tests/test_access_matrix_pages_*.py), which runs in both. A run on its own crawls everything.
"""

import os
import re
from urllib.parse import urljoin, urlparse

NOT_PAGES = re.compile(
    r"/(logout|exports?|downloads?|certificates?|posters?|qr|files?)\b|\.(xlsx|docx|csv|json|svg|png|pdf)$|^/(static|media|api)/")
PER_SHAPE = 2
MAX_PAGES = 400  # a bound, not a sample: every account reaches fewer pages (423 for the five together)
SPLIT = "GONGZHI_CRAWL_SPLIT"
#: The crawl's test modules, the demo accounts each crawls and the database whose run crawls them under ``SPLIT``.
SHARES = {
    "test_browser_crawl": ("sqlite", ("shuji", "dangyuan")),
    "test_browser_crawl_others": ("postgresql", ("zhibu1", "jumin", "gongjian")),
}


#: The page's links, read in the page's own world: Playwright's ``eval_on_selector_all`` builds its injected
#: script (its selector engines) in a world of its own in every document it is used in, which took the
#: browser more CPU than loading the page's own scripts (Chromium's CPU for 216 pages without axe: 35.7 s →
#: 29.1 s).
LINKS = "Array.from(document.querySelectorAll('a[href]'), link => link.getAttribute('href'))"


def crawled_here(module: str, vendor: str, split: bool) -> bool:
    """Whether ``module`` crawls in a run on ``vendor``: always, but under ``SPLIT`` only in its database's run."""
    return not split or SHARES[module][0] == vendor


def in_this_run(module: str):
    """The crawl module's mark: skipped in the run on the other database when the crawl is split."""
    import pytest
    from django.db import connection

    database = SHARES[module][0]
    return pytest.mark.skipif(not crawled_here(module, connection.vendor, bool(os.environ.get(SPLIT))),
                              reason=f"crawled in the {database} run beside this one (tests/crawl.py: SHARES)")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def _crawl(page, base: str) -> tuple[int, list]:
    from playwright.sync_api import Error as PlaywrightError

    from tests.browser import accessibility_faults

    seen, queue, problems, found_on, axe_checked = set(), ["/"], [], {"/": "login"}, set()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        seen.add(path)
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file, not a page
                continue
            raise
        if response is None or response.status >= 400:
            problems.append((path, f"{response.status if response else 'no response'} (linked from {found_on[path]})"))
            continue
        if "script-src 'self'" not in (response.headers.get("content-security-policy") or ""):
            problems.append((path, "no Content-Security-Policy"))
        violations = [text for text in console if "Content Security Policy" in text]
        if violations:
            problems.append((path, violations[:3]))
        console.clear()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 376:
            problems.append((path, f"{width}px wide"))
        if _shape(path) not in axe_checked:
            axe_checked.add(_shape(path))
            faults = [rule for rule, _help, _targets in accessibility_faults(page)]
            if faults:
                problems.append((path, faults))
        for href in page.evaluate(LINKS):
            url = urlparse(urljoin(base + path, href))
            if url.netloc != urlparse(base).netloc or NOT_PAGES.search(url.path) or "page=" in url.query:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            known = seen | set(queue)
            if target not in known and sum(_shape(p) == _shape(target) for p in known) < PER_SHAPE:
                queue.append(target)
                found_on[target] = path
    return len(seen), problems


def crawl_demo(base: str, module: str) -> list[str]:
    """Crawl the demo street (the caller's ``committed_demo``) as each of the module's accounts (``SHARES``;
    one browser, a context each: its own cookies) and return what was found wrong."""
    from tests.browser import log_in, open_pages

    accounts = SHARES[module][1]
    found = []
    with open_pages(len(accounts)) as pages:
        for username, page in zip(accounts, pages, strict=True):
            log_in(page, base, username)
            visited, problems = _crawl(page, base)
            found += [f"{username} {path}: {what}" for path, what in problems]
            if visited <= 5:
                found.append(f"{username}: only {visited} pages reached")
    return found
