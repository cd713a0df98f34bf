"""The roles a page goes by are those in force on the day of the request, read with the account on every
request (``accounts.backends.user_with_roles``): a role granted or ended takes effect on the next request of a
session already open, and a role's first and last days count."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongzhi.accounts import services
from gongzhi.accounts.models import RoleKind
from tests.factories import RoleFactory, UserFactory


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _branch_page(world) -> str:
    return f"/orgs/{world.branch_a.pk}/"


def test_a_granted_role_takes_effect_on_the_next_request(world):
    user = UserFactory()
    client = _logged_in(user)
    assert client.get(_branch_page(world)).status_code == 404
    services.grant_role(user=user, kind=RoleKind.BRANCH_SECRETARY, organization=world.branch_a,
                        starts_on=timezone.localdate(), by=world.users["community_secretary"])
    assert client.get(_branch_page(world)).status_code == 200


def test_an_ended_role_stops_on_the_next_request(world):
    user = UserFactory()
    role = services.grant_role(user=user, kind=RoleKind.BRANCH_SECRETARY, organization=world.branch_a,
                               starts_on=timezone.localdate() - timedelta(days=10),
                               by=world.users["community_secretary"])
    client = _logged_in(user)
    assert client.get(_branch_page(world)).status_code == 200
    services.end_role(role=role, on=timezone.localdate() - timedelta(days=1), by=world.users["community_secretary"])
    assert client.get(_branch_page(world)).status_code == 404


def _noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_a_role_counts_from_its_first_day_to_its_last(world):
    today = timezone.localdate()
    user = UserFactory()
    RoleFactory(user=user, kind=RoleKind.BRANCH_SECRETARY, organization=world.branch_a,
                starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=2))
    with time_machine.travel(_noon(today)):
        assert _logged_in(user).get(_branch_page(world)).status_code == 404  # not yet
    for day in (today + timedelta(days=1), today + timedelta(days=2)):
        with time_machine.travel(_noon(day)):
            assert _logged_in(user).get(_branch_page(world)).status_code == 200
    with time_machine.travel(_noon(today + timedelta(days=3))):
        assert _logged_in(user).get(_branch_page(world)).status_code == 404  # over


def test_the_account_and_its_roles_are_one_query(world):
    user = world.users["community_secretary"]
    client = _logged_in(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/me/").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if '"accounts_role"' in q["sql"]]
    assert len(reads) == 1 and '"accounts_user"' in reads[0]


def test_a_request_carries_its_account_itself_once_read(world):
    """The account read for the session (``SessionLimitsMiddleware``) is the request's user from then on: not
    behind the lazy wrapper every attribute read of which is a function call, and the one object read with its
    roles (no second read of the account)."""
    user = world.users["community_secretary"]
    client = _logged_in(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/me/")
    assert response.status_code == 200
    request_user = response.wsgi_request.user
    assert type(request_user) is type(user) and request_user.pk == user.pk
    assert response.context["user"] is request_user
    assert sum('"accounts_user"' in q["sql"] for q in queries.captured_queries) == 1


def test_an_anonymous_request_carries_an_anonymous_user(world):
    from django.contrib.auth.models import AnonymousUser

    response = Client().get("/accounts/me/")
    assert response.status_code == 302
    assert type(response.wsgi_request.user) is AnonymousUser
