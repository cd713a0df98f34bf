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


@pytest.mark.django_db
def test_the_missing_page_rendered_once_carries_each_requests_token_address_and_text_size(world, client_for):
    """The 404 page is rendered once per language and text size (core.views): each request still gets its own
    working CSRF token for the language switch, the address it asked for (escaped) to return to, and the
    text size of its user."""
    import re

    from gongzhi.accounts.models import User

    User.objects.filter(pk=world.users["member"].pk).update(large_text=True)
    pages = {}
    for persona in ("community_secretary", "member"):
        client = client_for(persona)  # CSRF-enforcing
        response = client.get("/no-such-page/?a=1&b=it's")
        assert response.status_code == 404
        page = response.content.decode()
        tokens = set(re.findall(r'"X-CSRFToken": "(\w+)"|name="csrfmiddlewaretoken" value="(\w+)"', page))
        token = {t for pair in tokens for t in pair if t}
        assert len(token) == 1, token
        assert 'name="next" type="hidden" value="/no-such-page/?a=1&amp;b=it&#x27;s"' in page
        switched = client.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token.pop()})
        assert switched.status_code == 302
        pages[persona] = page
    assert '<body class=""' in pages["community_secretary"]
    assert '<body class="large-text"' in pages["member"]
