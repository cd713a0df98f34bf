"""The demo street: the surveyed community's figures, every role, idempotence."""

from datetime import date

import pytest
from django.core.management import call_command

from gongzhi.accounts.demo import DEMO_ACCOUNTS
from gongzhi.accounts.models import Role
from gongzhi.members.models import Member, Resident
from gongzhi.orgs.models import Organization, OrgKind
from gongzhi.orgs.selectors import subtree_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def test_the_demo_street_has_three_communities_and_a_village(demo):
    street = Organization.objects.get(kind=OrgKind.STREET)
    children = Organization.objects.filter(parent=street)
    assert children.filter(kind=OrgKind.COMMUNITY).count() == 3
    assert children.filter(kind=OrgKind.VILLAGE).count() == 1
    assert children.filter(kind=OrgKind.UNIT).count() >= 3


def test_the_surveyed_community_mirrors_the_article(demo):
    xingfu = Organization.objects.get(name="幸福社区党委")
    figures = subtree_figures(xingfu)
    assert figures["population"] == 2900
    assert Member.objects.filter(community=xingfu).count() >= 161
    assert Member.objects.filter(community=xingfu, home_org__path__startswith=xingfu.path).count() == 161
    assert 0.05 <= figures["members"] / figures["population"] <= 0.06
    branches = Organization.objects.filter(parent=xingfu, kind=OrgKind.BRANCH)
    assert branches.filter(category="grid").count() == 6 and branches.filter(category="retirees").count() == 1
    assert Resident.objects.filter(community=xingfu).count() == 2900


def test_every_demo_account_holds_its_role(demo):
    for account in DEMO_ACCOUNTS:
        assert Role.objects.filter(user__username=account["username"], kind=account["kind"]).exists()


def test_loading_the_demo_twice_changes_nothing(demo, capsys):
    before = (Organization.objects.count(), Member.objects.count(), Resident.objects.count())
    call_command("demo")
    call_command("demo", "--if-empty")
    assert (Organization.objects.count(), Member.objects.count(), Resident.objects.count()) == before
    assert "was not loaded again" in capsys.readouterr().out


def test_the_demo_is_the_same_every_time(db):
    from django.utils import timezone

    from gongzhi.core.demo import DemoContext

    def first_names():
        ctx = DemoContext(today=timezone.localdate())
        return [ctx.faker.name() for _ in range(5)] + [ctx.rng.random() for _ in range(3)]

    assert first_names() == first_names()


def test_the_garbage_collector_is_paused_while_the_demo_loads_and_left_as_it_was(monkeypatch):
    import gc

    from gongzhi.core import demo as core_demo

    seen = []

    def failing(ctx):
        raise RuntimeError("a builder failed")

    monkeypatch.setattr(core_demo, "builders", lambda: [lambda ctx: seen.append(gc.isenabled()), failing])
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        core_demo.build_demo(date(2026, 11, 22), log=lambda _line: None)
    assert seen == [False] and gc.isenabled()  # paused inside, back on even when a builder fails
    gc.disable()
    try:
        with pytest.raises(RuntimeError):
            core_demo.build_demo(date(2026, 11, 22), log=lambda _line: None)
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


def test_a_demo_picture_drawn_again_is_the_same_picture_in_a_new_file():
    from gongzhi.publicity.demo import _picture_png, demo_picture

    _picture_png.cache_clear()
    first, again = demo_picture(3, "receipt"), demo_picture(3, "receipt")
    assert first is not again
    assert first.read() == again.read() and first.read() == b""  # two files, each read through on its own
    assert _picture_png.cache_info().hits == 1
    assert demo_picture(3, "receipt").read() == _picture_png.__wrapped__(3, "receipt")  # as drawn afresh
    assert demo_picture(4, "receipt").read() != demo_picture(3, "receipt").read()
    assert demo_picture(3, "receipt").read().startswith(b"\x89PNG")


@pytest.mark.parametrize("username, sources", [
    ("zuzhang", {"meetings.group_owed", "meetings.group_absent", "learning.group_study"}),
    ("gongjian", {"members.unit_awaiting", "reports.unit_feedback"}),
])
def test_the_group_leader_and_the_units_administrator_have_things_to_do(demo, username, sources):
    from gongzhi.accounts.models import User
    from gongzhi.core.todolist import todo_for

    found = {group.source.key for group in todo_for(User.objects.get(username=username)) if group.items}
    assert sources <= found
