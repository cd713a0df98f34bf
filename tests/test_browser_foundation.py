"""A community secretary logs in on a phone-sized screen, reads the home figures, opens a branch."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(live_server):
    from tests.browser import open_page

    with open_page() as page:
        yield page


def test_the_community_secretary_sees_home_figures_and_opens_a_branch_from_the_tree(live_server, committed_demo, page):
    from tests.browser import assert_accessible, log_in

    log_in(page, live_server.url, "shuji")
    assert page.locator("[data-figure=members]").first.inner_text() == "161"
    assert page.locator("[data-figure=population]").first.inner_text() == "2900"
    assert_accessible(page)

    page.goto(f"{live_server.url}/orgs/")
    community = page.locator("#tree-root > li").first
    community.locator("button.tree-toggle").click()
    branch_link = page.get_by_role("link", name="幸福社区第一网格党支部")
    branch_link.wait_for()
    assert_accessible(page)
    branch_link.click()
    page.wait_for_url("**/orgs/*/")
    assert page.locator("h1").inner_text().startswith("幸福社区第一网格党支部")
    assert page.viewport_size["width"] == 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
