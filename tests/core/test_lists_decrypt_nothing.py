"""List pages read only the columns they show: a member's, resident's or request's sealed values are never
decrypted for a row that shows only a name (core.rows; docs/scaling.md "Still above the ceiling")."""

from __future__ import annotations

from datetime import date

import pytest

from gongzhi.care.models import Pairing
from gongzhi.core import crypto
from gongzhi.points.models import PointRule, RuleCode
from gongzhi.points.services import post_points
from tests.voice.factories import request_in


@pytest.fixture
def world(world_copy):
    return world_copy


@pytest.mark.parametrize("url", ["/points/", "/members/", "/members/residents/", "/voice/queue/", "/care/"])
def test_a_list_page_decrypts_none_of_its_rows(world, client_for, monkeypatch, url):
    PointRule.objects.create(organization=world.street_a, code=RuleCode.VISIT, points=1,
                             effective_from=date(2020, 1, 1))
    post_points(member=world.member_a, code=RuleCode.VISIT, key="k", occurred_on=date(2025, 3, 1))
    Pairing.objects.create(member=world.member_a, resident=world.resident_a, started_on=date(2025, 1, 1))
    request = request_in(world, phone="13900002222")
    world.resident_a.member = world.member_a
    world.resident_a.save()
    sealed = {world.member_a.id_number, world.member_a.mobile, world.resident_a.id_number,
              world.resident_a.phone, request.contact_phone} - {"", None}
    assert sealed
    opened = []
    unseal = crypto.unseal

    def counting(stored, ring=None):
        plain = unseal(stored, ring)
        opened.append(plain)
        return plain

    monkeypatch.setattr(crypto, "unseal", counting)
    client = client_for("street_admin")
    response = client.get(url)
    assert response.status_code == 200
    shown = {"/members/residents/": world.resident_a.name, "/voice/queue/": "楼道灯坏了"}.get(url, world.member_a.name)
    assert shown in response.content.decode()
    assert not sealed & set(opened), (url, sealed & set(opened))
