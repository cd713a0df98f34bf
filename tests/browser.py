"""Helpers for browser tests: Debian's Chromium through Playwright, phone-sized, with axe."""

from __future__ import annotations

import os
from contextlib import contextmanager

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
# a few targets come back.
_AXE_RUN = """async (impacts) => {
  const order = ['minor', 'moderate', 'serious', 'critical'];
  const rank = impact => (order.includes(impact) ? order.indexOf(impact) : order.length - 1);
  const lowest = Math.min(...impacts.map(rank));
  const rules = {};
  for (const rule of axe._audit.rules) {
    const checks = [...rule.any, ...rule.all, ...rule.none].map(check => axe._audit.data.checks[check.id || check]);
    const highest = Math.max(rank(rule.impact), ...checks.map(check => rank(check && check.impact)));
    if (highest < lowest) rules[rule.id] = {enabled: false};
  }
  const results = await axe.run(document, {resultTypes: ['violations'], rules});
  return results.violations.filter(v => impacts.includes(v.impact))
    .map(v => [v.id, v.help, v.nodes.slice(0, 3).map(node => node.target)]);
}"""


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


@contextmanager
def open_pages(count: int, viewport=PHONE, locale: str | None = "zh-CN"):
    """``count`` pages of one browser, each in its own context (its own cookies: one person each).

    axe comes with every document the contexts load (an init script, which Chromium compiles once): injected
    into each page afresh it cost more than running it. The pages ask for reduced motion, as a user may: the
    charts draw at once and Bootstrap's menus open without a transition, which took the browser about 40% less
    CPU on the street's home page and charts; what is tested (layout, axe, content) is the same."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(count):
                context = browser.new_context(viewport=viewport, locale=locale, reduced_motion="reduce")
                context.add_init_script(script=_axe_script())
                page = context.new_page()
                page.set_default_timeout(15_000)
                pages.append(page)
            yield pages
        finally:
            browser.close()


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
    return [tuple(fault) for fault in page.evaluate(_AXE_RUN, list(impacts))]


def assert_accessible(page, impacts=SERIOUS) -> None:
    """axe finds no violation of the given impact levels on the current page."""
    faults = accessibility_faults(page, impacts)
    assert not faults, faults
