"""Helpers for browser tests: Debian's Chromium through Playwright, phone-sized, with axe."""

from __future__ import annotations

import asyncio
import os
from contextlib import contextmanager, suppress

from gongzhi.accounts.demo import DEMO_PASSWORD

# Debian's headless shell (package chromium-headless-shell, the same Chromium build without the browser's
# user interface) where installed: it took a third less CPU per crawled page than the full browser's headless
# mode (its browser and GPU processes about a third of before). The full browser otherwise.
CHROMIUMS = ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium")
CHROMIUM = next((path for path in CHROMIUMS if os.path.exists(path)), CHROMIUMS[-1])
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 375, "height": 812}
SERIOUS = ("critical", "serious")

# axe, for the violations of the given impacts only. Rules that cannot report such a violation are
# switched off: a violation's impact is the highest of its failed checks' impacts, so a rule whose own
# impact and whose every check's impact are lower can never report it (an unknown impact counts as critical).
# Nothing is asked for but the violations (axe then skips collecting the passes), and only ids, helps and
# a few targets come back. Nothing is preloaded: before a run axe reads every stylesheet of the page back
# through the CSS object model and parses it again (Bootstrap's and its icons' 320 kB: 30–100 ms of the
# browser's CPU, an eighth of a run on five demo pages) for the rules that read it, whether they run or
# not, and none of them runs here (css-orientation-lock is experimental, off by default; no-autoplay-audio
# is moderate), as a test checks (tests/test_browser_harness.py). With ``ran``, the ids of the rules that
# ran come back instead of the violations.
_AXE_RUN = """async ([impacts, ran]) => {
  const order = ['minor', 'moderate', 'serious', 'critical'];
  const rank = impact => (order.includes(impact) ? order.indexOf(impact) : order.length - 1);
  const lowest = Math.min(...impacts.map(rank));
  const rules = {};
  for (const rule of axe._audit.rules) {
    const checks = [...rule.any, ...rule.all, ...rule.none].map(check => axe._audit.data.checks[check.id || check]);
    const highest = Math.max(rank(rule.impact), ...checks.map(check => rank(check && check.impact)));
    if (highest < lowest) rules[rule.id] = {enabled: false};
  }
  const results = await axe.run(document, {resultTypes: ['violations'], rules, preload: false});
  if (ran) return [...results.violations, ...results.passes, ...results.incomplete, ...results.inapplicable]
    .map(result => result.id);
  return results.violations.filter(v => impacts.includes(v.impact))
    .map(v => [v.id, v.help, v.nodes.slice(0, 3).map(node => node.target)]);
}"""


#: axe's colour parser remembers what it parsed, for the document. ``color-contrast`` parses the computed colours of
#: every element behind each text (``new Color().parseString("rgba(0, 0, 0, 0)")``, through colorjs's conversion to
#: sRGB): a fifth of an axe run's CPU on a long list, for the few colours a page has. A parse depends on the string
#: alone, and a remembered one sets the same four channels the parse set; a colour it cannot parse still throws (and is
#: not remembered). axe's own parser stays at ``parseString.parse``; tests/test_browser_harness.py checks that the
#: findings are the same with it alone.
_AXE_COLOURS_REMEMBERED = """(() => {
  const Color = axe.commons.color.Color;
  const parsed = new Map();
  function remembered(text) {
    const channels = parsed.get(text);
    if (channels === undefined) {
      remembered.parse.call(this, text);
      parsed.set(text, [this.r, this.g, this.b, this.alpha]);
    } else {
      [this.r, this.g, this.b, this.alpha] = channels;
    }
    return this;
  }
  remembered.parse = Color.prototype.parseString;
  Color.prototype.parseString = remembered;
})();"""


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return f"{AXE_SCRIPT}\n{_AXE_COLOURS_REMEMBERED}"


class _Chromium:
    """The worker's one Playwright driver (node) and one Chromium, launched at the first browser test and
    kept for the rest of the session (``shut_down`` at its end: tests/conftest.py): launched for each
    browser module (~27 times per run), they cost about a second of CPU each time (six small browser
    modules: 33.9 s of CPU → 29.0 s, the driver's and browser's share 12.8 s → 6.4 s). Each
    ``open_pages`` still gets contexts of its own (cookies, storage, cache: nothing of one module's pages is
    seen by the next) and closes them when it ends. A browser that crashed or was closed, or a driver that
    died, is launched again at the next ``open_pages``.

    Playwright's sync API marks its event loop as this thread's running loop between its calls (why the
    browser modules set ``DJANGO_ALLOW_ASYNC_UNSAFE``); the loop is marked running only while an
    ``open_pages`` is open, so that the tests after it in the worker see no running loop, as before."""

    def __init__(self):
        self._manager = None  # playwright's context manager: its loop and dispatcher
        self._playwright = None
        self._browser = None

    def _driver_alive(self) -> bool:
        return self._manager is not None and not self._manager._dispatcher_fiber.dead

    @contextmanager
    def running(self):
        """The block may call Playwright: its loop is this thread's running loop inside, and what was before
        (no loop, outside another ``open_pages``) after."""
        before = asyncio._get_running_loop()
        if self._driver_alive():
            asyncio._set_running_loop(self._manager._loop)
        try:
            yield
        finally:
            asyncio._set_running_loop(before)

    def browser(self):
        """The browser, launched (and its driver started) if there is none alive. Inside ``running``."""
        from playwright.sync_api import sync_playwright

        if not self._driver_alive():
            self.shut_down()
            self._manager = sync_playwright()
            self._playwright = self._manager.start()
        if self._browser is None or not self._browser.is_connected():
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for context in self._browser.contexts:  # none, unless an ``open_pages`` could not close its own
            context.close()
        return self._browser

    def discard_browser(self) -> None:
        """Close the browser (a context of it would not close): the next ``open_pages`` launches another."""
        browser, self._browser = self._browser, None
        if browser is not None:
            with suppress(Exception):
                browser.close()

    def shut_down(self) -> None:
        """Close the browser and stop the driver, if they run."""
        if self._manager is None:
            return
        with self.running():
            self.discard_browser()
            manager, self._manager, self._playwright = self._manager, None, None
            with suppress(Exception):
                manager.__exit__()


_CHROMIUM = _Chromium()
shut_down = _CHROMIUM.shut_down


@contextmanager
def open_pages(count: int, viewport=PHONE, locale: str | None = "zh-CN"):
    """``count`` pages of the worker's browser, each in its own context (its own cookies: one person each),
    closed at the end.

    axe comes with every document the contexts load (an init script, which Chromium compiles once): injected
    into each page afresh it cost more than running it. The pages ask for reduced motion, as a user may: the
    charts draw at once and Bootstrap's menus open without a transition, which took the browser about 40% less
    CPU on the street's home page and charts; what is tested (layout, axe, content) is the same."""
    from django.db import connection

    from tests.template_db import _close_other_contexts_connections

    try:
        with _CHROMIUM.running():
            browser = _CHROMIUM.browser()
            contexts = []
            try:
                pages = []
                for _ in range(count):
                    context = browser.new_context(viewport=viewport, locale=locale, reduced_motion="reduce")
                    contexts.append(context)
                    context.add_init_script(script=_axe_script())
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    pages.append(page)
                yield pages
            finally:
                try:
                    for context in contexts:
                        context.close()
                except Exception:  # a crashed browser, or a test that closed it
                    _CHROMIUM.discard_browser()
    finally:
        # What the block's own ORM queries opened (a connection of the block's context: tests/template_db.py) ends
        # with it.
        _close_other_contexts_connections(connection)


@contextmanager
def open_page(viewport=PHONE, locale: str | None = "zh-CN"):
    with open_pages(1, viewport, locale) as (page,):
        yield page


def log_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def accessibility_faults(page, impacts=SERIOUS) -> list:
    """axe's violations of the given impact levels on the current page: (rule, help, first targets)."""
    if not page.evaluate("typeof window.axe === 'object'"):  # a page not opened by open_pages
        page.evaluate(_axe_script())
    return [tuple(fault) for fault in page.evaluate(_AXE_RUN, [list(impacts), False])]


def assert_accessible(page, impacts=SERIOUS) -> None:
    """axe finds no violation of the given impact levels on the current page."""
    faults = accessibility_faults(page, impacts)
    assert not faults, faults
