"""Per-client limits behind the trusted proxy: the public request form and the login refuse a flood
from one client but not many clients behind nginx; X-Forwarded-For is believed only from the proxies
named; the lockout of one client does not lock the street administrator out everywhere."""

import os
import uuid

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from gongzhi.core import ratelimit
from gongzhi.core.clients import client_ip
from gongzhi.voice.models import Request
from tests.factories.core import PASSWORD
from tests.voice.factories import post

NGINX = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.GONGZHI_TRUSTED_PROXIES = [NGINX, "10.0.0.0/8"]


def _meta(remote, forwarded=None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.GONGZHI_TRUSTED_PROXIES = []
    assert _meta("198.51.100.4", "203.0.113.9") == "198.51.100.4"


@pytest.mark.parametrize(("remote", "forwarded", "client"), [
    (NGINX, "203.0.113.9", "203.0.113.9"),  # nginx on the same machine
    (NGINX, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is not believed
    (NGINX, "203.0.113.9, 10.1.2.3", "203.0.113.9"),  # a second proxy inside the network
    ("198.51.100.4", "203.0.113.9", "198.51.100.4"),  # not from a proxy: the header is the sender's own
    (NGINX, "not-an-address", NGINX),
    (NGINX, "[2001:db8::7]:443", "2001:db8::7"),
    ("::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9"),
])
def test_the_client_address_behind_trusted_proxies(behind_nginx, remote, forwarded, client):
    assert _meta(remote, forwarded) == client


def _request_form(world, client, n):
    url = reverse("voice:public_new", kwargs={"code": world.community_a.code})
    return post(client, url, {"category": "environment", "text": f"路灯坏了 {n}", "contact_phone": f"1390000{n:04d}"})


@pytest.mark.django_db
def test_the_public_form_refuses_a_flood_from_one_client_whatever_phones_it_gives(world, behind_nginx):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.9")
    limit, _period = ratelimit.settings.GONGZHI_RATE_LIMITS["public_form"]
    statuses = [_request_form(world, client, n).status_code for n in range(limit + 10)]
    assert statuses == [200] * limit + [429] * 10
    assert Request.objects.count() == limit
    refused = _request_form(world, client, 99)
    assert "请求过多" in refused.content.decode() and int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_many_clients_behind_nginx_each_have_their_own_limit(world, behind_nginx):
    for n in range(25):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        assert _request_form(world, client, n).status_code == 200
    assert Request.objects.count() == 25


def _log_in(client, username, password):
    if "csrftoken" not in client.cookies:
        client.get(reverse("accounts:login"))
    return client.post(reverse("accounts:login"), {"username": username, "password": password,
                                                   "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


@pytest.mark.django_db
def test_login_attempts_from_one_client_are_limited_but_not_from_many(world, behind_nginx):
    limit, _period = ratelimit.settings.GONGZHI_RATE_LIMITS["login"]
    guesser = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.66")
    statuses = [_log_in(guesser, f"user{n}", "wrong").status_code for n in range(limit + 3)]
    assert statuses == [200] * limit + [429] * 3
    for n in range(limit + 3):
        someone = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
        assert _log_in(someone, f"user{n}", "wrong").status_code == 200


@pytest.mark.django_db
def test_wrong_guesses_from_one_client_do_not_lock_the_administrator_out_elsewhere(world, behind_nginx, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    guesser = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(5):
        _log_in(guesser, "street_admin", "wrong")
    assert "失败次数过多" in _log_in(guesser, "street_admin", PASSWORD).content.decode()
    office = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _log_in(office, "street_admin", PASSWORD).status_code == 302


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def _redis_reachable() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable() and os.environ.get("CI", "").lower() != "true",
                    reason="Redis is not reachable (CI requires it)")
def test_the_limits_count_in_redis_shared_by_every_worker(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": f"gongzhi-test-{uuid.uuid4().hex}"}}
    settings.GONGZHI_RATE_LIMITS = {**settings.GONGZHI_RATE_LIMITS, "public_form": (3, 60)}
    from django.core.cache import caches

    try:
        waits = [ratelimit.hit("public_form", "203.0.113.9", now=1_000_000.0) for _ in range(5)]
        assert waits[:3] == [0, 0, 0] and all(0 < w <= 60 for w in waits[3:])
        assert ratelimit.hit("public_form", "203.0.113.10", now=1_000_000.0) == 0
        assert ratelimit.hit("public_form", "203.0.113.9", now=1_000_060.0) == 0  # the next window
    finally:
        caches["default"].clear()
