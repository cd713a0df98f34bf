"""The menu's to-do badges on the demo street: every persona's counts, compiled once (``core.todolist.CompiledCount``),
are the counts Django's own ``count()`` gives for the same querysets; the endpoint costs a bounded number of
queries; a badge follows the user's action at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.demo import DEMO_ACCOUNTS
from gongzhi.core.registries import todo_sources
from gongzhi.core.statements import StatementError
from gongzhi.core.todolist import CompiledCount, applicable, counts_for

pytestmark = pytest.mark.django_db

PERSONAS = [account["username"] for account in DEMO_ACCOUNTS] + ["cunshuji"]


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def _user(username):
    from gongzhi.accounts.models import User

    return User.objects.get(username=username)


def _independent_counts(user) -> dict[str, int]:
    """``counts_for`` as it was computed before the counts were compiled: each source's queryset counted by
    Django (``count()``), recruitment's overdue list by its selector, the rest by the source itself."""
    from gongzhi.recruitment.selectors import overdue_rows

    counts: dict[str, int] = {}
    for source in applicable(user):
        if isinstance(source.count, CompiledCount):
            count = source.count.plain(user)
        elif source.key == "recruitment.overdue":
            count = len(overdue_rows(user, timezone.localdate()))
        else:
            count = source.count(user)
        if count:
            counts[source.url_name] = counts.get(source.url_name, 0) + count
    return counts


def test_every_personas_badges_are_the_counts_of_the_sources_querysets(demo):
    found, nonzero = {}, set()
    for username in PERSONAS:
        user = _user(username)
        for source in applicable(user):
            if isinstance(source.count, CompiledCount):
                compiled, plain = source.count(user), source.count.plain(user)
                assert compiled == plain, (username, source.key)
                if plain:
                    nonzero.add(source.key)
        found[username] = counts_for(_user(username))
        assert found[username] == _independent_counts(_user(username)), username
    # Not a comparison of zeros: the demo gives most compiled sources something to count.
    assert len(nonzero) >= 15, nonzero
    assert found["shuji"]["recruitment:index"] >= 1 and found["jiedao"]["publicity:overdue"] >= 1
    assert found["anquan"] == {} and found["shenji"] == {}


def test_a_compiled_count_refuses_a_queryset_that_asks_the_database_while_it_is_built(demo):
    from gongzhi.voice.models import Consultation

    # A resident's consultations are found by looking his or her places up first: that answer cannot be compiled.
    count = CompiledCount(lambda user: Consultation.objects.visible_to(user))
    with pytest.raises(StatementError):
        count(_user("jumin"))


def test_a_compiled_count_follows_the_day_it_is_asked_on(demo):
    """The day is a value of the statement, not the day it was compiled on."""
    invited = next(s for s in todo_sources() if s.key == "meetings.invited").count
    user = _user("dangyuan")
    day = [timezone.localdate()]
    count = CompiledCount(invited.build, lambda user: {"today": day[0], "until": day[0] + timedelta(days=14)})
    assert count(user) == invited(user) == invited.plain(user) >= 1
    day[0] += timedelta(days=3650)
    assert count(user) == 0


@pytest.mark.parametrize("username", ["shuji", "jiedao", "zhibu1"])
def test_the_badges_cost_a_bounded_number_of_queries(demo, username, django_assert_max_num_queries):
    from django.test import Client

    client = Client()
    client.force_login(_user(username))
    client.get(reverse("core:todo_counts"))  # compiled once per process
    # The session and the account with its roles; every compiled count in one query; recruitment's three lists, the
    # boards and the board catalogue's five reads; for a branch secretary, the meetings the branch owes (four:
    # meetings.compliance.due_next, which read three or four for each of six kinds, 20, before). Counted one by one,
    # it was 30 for the community secretary.
    with django_assert_max_num_queries({"shuji": 11, "jiedao": 11, "zhibu1": 9}[username]):
        response = client.get(reverse("core:todo_counts"))
    assert response.json() == counts_for(_user(username))


def test_a_badge_changes_at_once_when_the_user_acts(demo):
    from gongzhi.members.models import Reporting, ReportingStatus
    from gongzhi.members.reporting import decide

    user = _user("shuji")
    before = counts_for(user)["members:reported"]
    reporting = Reporting.objects.filter(status=ReportingStatus.SUBMITTED, community__name="幸福社区党委").first()
    decide(reporting, accept=False, note="请补充在职单位", by=user)  # returned: no longer to accept
    assert counts_for(_user("shuji"))["members:reported"] == before - 1
