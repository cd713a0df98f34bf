"""Community staff edit the routing table and time limits; new requests follow them, old ones keep theirs."""

import pytest

from gongzhi.core.models import AuditEvent
from gongzhi.voice import services
from gongzhi.voice.models import Channel, DeadlineRule, RoutingRule

from .factories import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def url(world):
    return f"/voice/rules/{world.community_a.pk}/"


def test_a_grid_rule_set_on_the_page_routes_new_requests_and_leaves_old_ones(world, client_for):
    old = services.submit(community=world.community_a, category="environment", text="楼道堆物", channel=Channel.QR,
                          grid=world.grid_a)
    response = post(client_for("community_staff"), url(world),
                    {"action": "route", "category": "environment", "grid": world.grid_a.pk,
                     "handler": world.group_a1.pk})
    assert response.status_code == 302
    new = services.submit(community=world.community_a, category="environment", text="垃圾满溢", channel=Channel.QR,
                          grid=world.grid_a)
    old.refresh_from_db()
    assert new.handler == world.group_a1 and old.handler != world.group_a1
    assert AuditEvent.objects.filter(action="voice.route.set").count() == 1


def test_setting_the_same_rule_again_changes_its_handler_not_the_count(world, client_for):
    client = client_for("community_staff")
    for handler in (world.branch_a, world.branch_b):
        post(client, url(world), {"action": "route", "category": "safety", "grid": "", "handler": handler.pk})
    rule = RoutingRule.objects.get()
    assert (rule.grid, rule.handler) == (None, world.branch_b)
    post(client, url(world), {"action": "delete_route", "rule": rule.pk})
    assert not RoutingRule.objects.exists()


def test_a_handler_outside_the_community_or_a_foreign_grid_is_refused(world, client_for):
    client = client_for("community_staff")
    outside = post(client, url(world), {"action": "route", "category": "safety", "grid": "",
                                        "handler": world.branch_x.pk})
    foreign_grid = post(client, url(world), {"action": "route", "category": "safety", "grid": world.grid_x.pk,
                                             "handler": world.branch_a.pk})
    assert (outside.status_code, foreign_grid.status_code) == (400, 400)
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize("hours, days", [("0", "3"), ("5", "0"), ("721", "3"), ("5", "91"), ("x", "3")])
def test_impossible_time_limits_are_refused(world, client_for, hours, days):
    response = post(client_for("community_staff"), url(world),
                    {"action": "deadline", "category": "safety", "first_answer_hours": hours, "resolution_days": days})
    assert response.status_code == 400
    assert not DeadlineRule.objects.exists()


def test_the_communitys_own_limits_apply_to_new_requests_and_can_be_reset(world, client_for):
    client = client_for("community_staff")
    before = services.limits_for(world.community_a, "safety")
    post(client, url(world), {"action": "deadline", "category": "safety", "first_answer_hours": "3",
                              "resolution_days": "1"})
    assert services.limits_for(world.community_a, "safety") == (3, 1)
    table = {row["category"]: row for row in client.get(url(world)).context["deadlines"]}
    assert table["safety"]["own"] and table["safety"]["source"] == world.community_a
    post(client, url(world), {"action": "reset_deadline", "category": "safety"})
    assert services.limits_for(world.community_a, "safety") == before


def test_the_public_list_removes_names_phones_ids_and_house_numbers_typed_into_the_text(world, client_for):
    from django.test import Client
    from django.utils import timezone

    from gongzhi.voice.models import Status

    text = (f"3号楼2单元501的王阿姨说老张家漏水，{world.resident_a.name}也反映了，{world.member_a.name}来看过，"
            f"电话13812345678，身份证{world.member_a.id_number}")
    req = services.submit(community=world.community_a, category="facilities", text=text, channel=Channel.QR)
    staff = world.users["community_staff"]
    services.accept(req, by=staff)
    services.resolve(req, note=f"已联系{world.resident_a.name}，维修完毕，联系电话13900001111", by=staff)
    req.refresh_from_db()
    assert req.status in (Status.RESOLVED, Status.CLOSED) and req.resolved_at <= timezone.now()
    body = Client().get(f"/voice/c/{world.community_a.code}/").content.decode()
    assert "维修完毕" in body and "某某" in body
    for secret in (world.resident_a.name, world.member_a.name, "王阿姨", "老张", "13812345678", "13900001111",
                   world.member_a.id_number, "501", "3号楼"):
        assert secret not in body, secret
