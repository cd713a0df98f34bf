"""Helpers for browser tests: Debian's Chromium through Playwright, phone-sized, with axe."""

from __future__ import annotations

from contextlib import contextmanager

from gongzhi.accounts.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 375, "height": 812}


@contextmanager
def open_pages(count: int, viewport=PHONE):
    """``count`` pages of one browser, each in its own context (its own cookies: one person each)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(count):
                page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
                page.set_default_timeout(15_000)
                pages.append(page)
            yield pages
        finally:
            browser.close()


@contextmanager
def open_page(viewport=PHONE):
    with open_pages(1, viewport) as (page,):
        yield page


def log_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_accessible(page, impacts=("critical", "serious")) -> None:
    """axe finds no violation of the given impact levels on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in impacts]
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
