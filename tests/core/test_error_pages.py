"""The error pages' lighter shell: a refused or missing page is a proper page in the user's language (the
brand linking home, the message, the way back, the language switch) without the menu, and it reads nothing
the menu would (the navigation, the unread notifications, the to-do sources)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_a_missing_page_is_a_page_in_the_users_language_without_the_menu(client_for):
    client = client_for("community_secretary")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<title>未找到 · " in page and "返回首页" in page and 'id="language-select"' in page
    assert 'class="navbar-brand' in page and 'id="main-nav"' not in page
    assert not [q for q in queries.captured_queries if "core_notification" in q["sql"]]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "<title>Not found · " in page and "Back to home" in page


@pytest.mark.django_db
def test_a_full_page_still_shows_the_menu_and_the_unread_count(client_for):
    client = client_for("community_secretary")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert 'id="main-nav"' in page and "data-todo-counts" in page
    assert [q for q in queries.captured_queries if "core_notification" in q["sql"]]
