"""Logging in and out, demo accounts, session limits."""

import time

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_log_in_with_username_or_mobile_number():
    UserFactory(username="lixiu", mobile="13911112222")
    assert login(Client(), "lixiu").status_code == 302
    assert login(Client(), "13911112222").status_code == 302


def test_a_wrong_password_and_an_unknown_account_get_the_same_message():
    UserFactory(username="lixiu")
    wrong = login(Client(), "lixiu", "nope").content.decode()
    unknown = login(Client(), "nobody", "nope").content.decode()
    assert "用户名或密码不正确" in wrong and "用户名或密码不正确" in unknown


def test_pages_require_login():
    response = Client().get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_is_a_post_and_ends_the_session():
    UserFactory(username="lixiu")
    client = Client()
    login(client, "lixiu")
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_demo_accounts_are_listed_only_in_demo_mode(settings):
    settings.GONGZHI_DEMO = False
    assert "演示账号" not in Client().get("/accounts/login/").content.decode()
    settings.GONGZHI_DEMO = True
    assert "shuji" in Client().get("/accounts/login/").content.decode()


def test_the_session_ends_after_the_absolute_limit(settings, monkeypatch):
    UserFactory(username="lixiu")
    client = Client()
    login(client, "lixiu")
    assert client.get("/").status_code == 200
    settings.GONGZHI_SESSION_ABSOLUTE_MINUTES = 1
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 120)
    assert client.get("/").status_code == 302


def test_lockout_after_repeated_failures_does_not_reveal_the_account(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="lixiu")
    client = Client()
    for _ in range(3):
        login(client, "lixiu", "wrong")
    locked = login(client, "lixiu").content.decode()
    assert "失败次数过多" in locked
    for _ in range(3):
        login(client, "ghost", "wrong")
    assert "失败次数过多" in login(client, "ghost").content.decode()


def test_the_large_text_mode_is_a_post_that_stays_on_the_site():
    user = UserFactory(username="lixiu")
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/me/large-text/", {"next": "https://evil.example/"})
    assert response["Location"] == "/accounts/me/"
    user.refresh_from_db()
    assert user.large_text
    assert "large-text" in client.get("/").content.decode()


def _session_writes(client, path="/"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def test_the_idle_timeout_slides_without_a_session_write_on_every_request(settings, monkeypatch):
    from django.contrib.sessions.models import Session

    UserFactory(username="lixiu")
    client = Client()
    login(client, "lixiu")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    expires = Session.objects.get(session_key=key).expire_date
    assert _session_writes(client) == [] and _session_writes(client) == []
    assert Session.objects.get(session_key=key).expire_date == expires
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + settings.GONGZHI_SESSION_REFRESH_SECONDS + 1)
    assert len(_session_writes(client)) == 1  # the window moved on: saved once, with a later expiry
    assert Session.objects.get(session_key=key).expire_date > expires


def test_an_idle_session_still_ends(settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    UserFactory(username="lixiu")
    client = Client()
    login(client, "lixiu")
    assert client.get("/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # The idle timeout passes: the session's row and its copy in the cache (sessions are read from the cache)
    # both expire.
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)):
        assert Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).count() == 0
        assert client.get("/").status_code == 302
