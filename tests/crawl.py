"""The demo crawl: every page reachable from the demo's menus works on a 375-px phone for the people who use it.

The crawl follows the links each demo account sees (at most two pages of each URL shape) and
checks: no server error, no sideways scrolling of the whole page, no serious accessibility fault,
the Content-Security-Policy on every page and no violation of it reported in the console (no inline
script, style attribute or handler anywhere). The accounts are crawled by two test modules, so that
pytest-xdist's two workers share the crawl (``--dist loadfile`` sends a whole module to one worker);
each module loads the demo once, which costs less than the half of the crawl it takes off one worker.
"""

import re
from urllib.parse import urljoin, urlparse

from django.core.management import call_command

NOT_PAGES = re.compile(
    r"/(logout|exports?|downloads?|certificates?|posters?|qr)\b|\.(xlsx|docx|csv|json|svg|png|pdf)$|^/(static|media|api)/")
PER_SHAPE = 2
MAX_PAGES = 90


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def _crawl(page, base: str) -> tuple[int, list]:
    from playwright.sync_api import Error as PlaywrightError

    from tests.browser import accessibility_faults

    seen, queue, problems, found_on = set(), ["/"], [], {"/": "login"}
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
        faults = [rule for rule, _help, _targets in accessibility_faults(page)]
        if faults:
            problems.append((path, faults))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlparse(urljoin(base + path, href))
            if url.netloc != urlparse(base).netloc or NOT_PAGES.search(url.path) or "page=" in url.query:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            known = seen | set(queue)
            if target not in known and sum(_shape(p) == _shape(target) for p in known) < PER_SHAPE:
                queue.append(target)
                found_on[target] = path
    return len(seen), problems


def crawl_demo(base: str, accounts: list[str]) -> list[str]:
    """Load the demo street, crawl it as each account (one browser, a context each: its own cookies) and
    return what was found wrong."""
    from tests.browser import log_in, open_pages

    call_command("demo")
    found = []
    with open_pages(len(accounts)) as pages:
        for username, page in zip(accounts, pages, strict=True):
            log_in(page, base, username)
            visited, problems = _crawl(page, base)
            found += [f"{username} {path}: {what}" for path, what in problems]
            if visited <= 5:
                found.append(f"{username}: only {visited} pages reached")
    return found
