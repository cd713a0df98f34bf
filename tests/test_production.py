"""The production smoke test: README's "Running in production" as a new administrator follows it.

With DEBUG off, `collectstatic` runs into a scratch directory with the manifest storage, gunicorn
serves the project on a free port behind what nginx would send (HTTPS, X-Forwarded-For), and two
people log in through the login form and open the home page and every page of their menu: each
answers 200 with the Content-Security-Policy, and the CSS and JS are served under hashed names.
On PostgreSQL the server connects as the application's role of scripts/database_roles.sql, which
may not TRUNCATE nor change the schema.
"""

from __future__ import annotations

import re
import sqlite3
import sys

import pytest
from django.db import connection

from tests.factories.core import PASSWORD
from tests.production import Browser, collect_static, database_roles, free_port, postgres_url, production_env, server

pytestmark = pytest.mark.django_db(transaction=True)
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")
PEOPLE = ("community_secretary", "member")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("production")
    collect_static(var_dir)
    return var_dir


@pytest.fixture
def database_url(collected, world):
    """The database the server uses: the test database itself on PostgreSQL (as the application's
    role), a copy of the in-memory test database on SQLite. The two people's passwords are hashed as
    production hashes them (the tests' fast hasher is not among production's)."""
    from gongzhi.accounts.hashers import OwaspArgon2PasswordHasher

    hasher = OwaspArgon2PasswordHasher()
    for username in PEOPLE:
        world.users[username].password = hasher.encode(PASSWORD, hasher.salt())
        world.users[username].save(update_fields=["password"])
    if connection.vendor == "postgresql":
        with database_roles() as (_owner, app):
            yield postgres_url(app)
        return
    path = collected / "smoke.sqlite3"
    path.unlink(missing_ok=True)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    yield f"sqlite:///{path}"


def _menu(page: str) -> list[str]:
    # The task groups' items, up to the list of notifications, profile and logout.
    nav = page.split('id="main-nav"', 1)[1].split('<ul class="navbar-nav">', 1)[0]
    return re.findall(r'href="(/[^"]*)"', nav)


def _assets(page: str) -> list[str]:
    return re.findall(r'<(?:link rel="stylesheet" href|script src)="(/static/[^"]+)"', page)


def test_the_documented_production_set_up_serves_every_page(collected, database_url):
    port = free_port()
    env = production_env(collected, database_url)
    command = [sys.executable, "-m", "gunicorn", "gongzhi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with server(command, env, port):
        plain = Browser(port).request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")  # TLS at nginx
        opened = {}
        for username in PEOPLE:
            browser = Browser(port, client_ip=f"203.0.113.{len(opened) + 10}")
            login = browser.log_in(username, PASSWORD)
            assert login.status == 302, (username, login.status, login.text[:500])
            home = browser.get("/")
            assert home.status == 200 and "Content-Security-Policy" in home.headers
            menu = _menu(home.text)
            assert len(menu) >= 3, (username, menu)
            for path in menu:
                page = browser.get(path)
                assert page.status == 200, (username, path, page.status)
                assert "script-src 'self'" in page.headers["Content-Security-Policy"]
                assert "camera=()" in page.headers["Permissions-Policy"]
            opened[username] = menu
            assets = _assets(home.text)
            assert len(assets) >= 5 and all(HASHED.search(a) for a in assets), assets
            for asset in assets:
                response = browser.get(asset)
                assert response.status == 200 and "immutable" in response.headers["Cache-Control"], asset
        assert opened["community_secretary"] != opened["member"]
        assert Browser(port).get("/api/points/mine").status == 401


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections and row locks")
@pytest.mark.parametrize("how", ["gongzhi serve", "gunicorn"])
def test_200_parallel_redemptions_hold_the_database_and_answer_201_once(collected, database_url, world, how):
    """200 taps at once on "redeem" with one key through each server: no 5xx, exactly one 201 and one
    redemption, and never more connections held than the pool allows (GONGZHI_DB_POOL_SIZE per process)."""
    import threading
    from datetime import date
    from decimal import Decimal

    import psycopg

    from gongzhi.points.models import PointEntry, Redemption, Reward, RuleCode

    pool, processes, taps = 3, (1 if how == "gongzhi serve" else 2), 200
    reward = Reward.objects.create(organization=world.community_a, name="环保袋", price=Decimal(5), stock=500)
    PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(1000),
                              code=RuleCode.MANUAL_AWARD, idempotency_key="load-seed", occurred_on=date(2025, 1, 2))
    port = free_port()
    env = production_env(collected, database_url, GONGZHI_DB_POOL_SIZE=str(pool))
    command = ([sys.executable, "-m", "gongzhi", "serve", f"127.0.0.1:{port}"] if how == "gongzhi serve" else
               [sys.executable, "-m", "gunicorn", "gongzhi.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", str(processes), "--worker-class", "gthread", "--threads", "8"])
    app_role = database_url.split("//", 1)[1].split("@", 1)[0]
    held, done = [], threading.Event()

    def sample():
        with psycopg.connect(postgres_url(), autocommit=True) as watcher:
            while not done.is_set():
                held.append(watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s",
                                            [app_role]).fetchone()[0])
                done.wait(0.02)

    with server(command, env, port):
        member = Browser(port, client_ip="203.0.113.50")
        assert member.log_in("member", PASSWORD).status == 302
        statuses, barrier = [], threading.Barrier(taps)

        def tap():
            phone = Browser(port, client_ip=member.client_ip)
            phone.cookies = dict(member.cookies)
            barrier.wait()
            try:
                statuses.append(phone.post_json(f"/api/points/rewards/{reward.pk}/redeem", b'{"key": "tap"}').status)
            except OSError as exc:
                statuses.append(str(exc))

        watcher = threading.Thread(target=sample)
        watcher.start()
        threads = [threading.Thread(target=tap) for _ in range(taps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        done.set()
        watcher.join()
    assert sorted(set(statuses), key=str) == [200, 201], {s: statuses.count(s) for s in set(statuses)}
    assert statuses.count(201) == 1 and Redemption.objects.count() == 1
    assert 0 < max(held) <= pool * processes, max(held)
