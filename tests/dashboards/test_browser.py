"""In the browser: the street administrator's menu fits every width from a phone to a hall display in both
languages, his home page says what to do, he reaches the street's charts in two clicks and hands the big
screen to a hall display by a kiosk link; every page axe-clean."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WIDTHS = (320, 375, 768, 1366, 1920)


def _no_horizontal_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width


def test_the_menu_fits_every_width_in_both_languages(live_server, committed_demo):
    """One browser for the ten screens: per language a fresh login, then the window set to each width
    and the home page loaded afresh at that width."""
    from tests.browser import assert_accessible, log_in, open_page

    with open_page({"width": WIDTHS[0], "height": 900}) as page:
        for language in ("zh-hans", "en"):
            page.context.clear_cookies()
            page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            log_in(page, live_server.url, "jiedao")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + "/")
                page.wait_for_selector("[data-todo-source]")
                _no_horizontal_scroll(page, width)
                menu = page.locator("#main-nav")
                if width < 1200:  # the off-canvas menu on phones and tablets
                    assert not menu.is_visible()
                    page.click(".navbar-toggler")
                    menu.wait_for(state="visible")
                    page.get_by_role("button", name="统计" if language == "zh-hans" else "Statistics").click()
                else:  # one bar of task groups with dropdowns
                    bar = page.locator(".main-menu").bounding_box()
                    assert bar["height"] < 60, (language, width, bar)
                    page.get_by_role("button", name="统计" if language == "zh-hans" else "Statistics").click()
                link = page.get_by_role("link", name="统计看板" if language == "zh-hans" else "Dashboards")
                link.wait_for(state="visible")
                _no_horizontal_scroll(page, width)
                if width in (375, 1366):
                    assert_accessible(page)


def test_the_street_administrator_finds_the_charts_in_two_clicks_and_puts_the_screen_on_a_hall_display(
        live_server, committed_demo):
    from tests.browser import assert_accessible, log_in, open_page

    with open_page({"width": 1366, "height": 900}) as page:
        log_in(page, live_server.url, "jiedao")
        badge = page.locator("[data-todo-badge]:not(.d-none), [data-todo-sum]:not(.d-none)").first
        badge.wait_for()  # the menu's to-do badges came
        assert page.locator("[data-todo-source='members.transfers']").count() == 1
        assert_accessible(page)
        page.get_by_role("button", name="统计").click()  # click 1
        page.get_by_role("link", name="统计看板").click()  # click 2
        page.wait_for_url("**/dashboards/")
        page.locator("[data-chart] svg").first.wait_for()
        assert page.locator("h1").inner_text() == "幸福街道党工委"
        page.locator("details summary").first.click()  # the table behind the chart
        assert page.locator("details[open] table tbody tr").count() >= 1
        _no_horizontal_scroll(page, 1366)
        assert_accessible(page)
        page.get_by_role("link", name="大屏链接").click()
        page.fill("input[name=label]", "街道党群服务中心大厅")
        page.get_by_role("button", name="创建链接").click()
        link = page.locator("[data-created-link] input").input_value()
        assert "/dashboards/kiosk/" in link
        assert_accessible(page)

    with open_page({"width": 1920, "height": 1080}) as hall:  # no login on the hall display
        hall.goto(link)
        hall.locator("[data-chart] svg").first.wait_for()
        assert "/accounts/login/" not in hall.url
        _no_horizontal_scroll(hall, 1920)
        assert hall.evaluate("document.documentElement.scrollHeight") <= 1080 + 1
        assert hall.locator("[data-figure-key='members.total'] [data-value]").inner_text().startswith("4")
        assert_accessible(hall)
