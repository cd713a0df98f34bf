from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongzhi.voice import selectors, services
from gongzhi.voice.models import Category, Request, Status

from .factories import post, request_in


@pytest.fixture
def world(world_copy):
    return world_copy


def _resolved(world, community=None, *, at, hours, category=Category.ENVIRONMENT, text="楼道灯坏了", answer_in=2,
              **kwargs):
    req = request_in(world, community, category=category, now=at, **kwargs)
    req.text = text
    req.answered_at = at + timedelta(hours=answer_in)
    req.resolved_at = at + timedelta(hours=hours)
    req.status = Status.RESOLVED
    req.save()
    return req


def test_the_resident_rates_on_the_tracking_page_and_a_second_rating_is_refused(world, client_for):
    req = request_in(world)
    services.resolve(req, by=world.users["branch_secretary_a"], note="已更换灯泡")
    client = client_for("anonymous")
    page = client.get(reverse("voice:track"), {"number": req.tracking_number}).content.decode()
    assert 'name="rating"' in page
    post(client, reverse("voice:rate"), {"number": req.tracking_number, "rating": "satisfied", "comment": "很快"})
    req.refresh_from_db()
    assert req.status == Status.CLOSED and req.rating == "satisfied" and req.rating_comment == "很快"
    post(client, reverse("voice:rate"), {"number": req.tracking_number, "rating": "unsatisfied"})
    req.refresh_from_db()
    assert req.rating == "satisfied" and req.status == Status.CLOSED


def test_not_satisfied_reopens_once_then_the_next_rating_closes(world):
    req = request_in(world)
    services.resolve(req, by=world.users["branch_secretary_a"], note="处理了")
    services.rate(req, rating="unsatisfied", comment="灯还是不亮")
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED and req.reopened
    with pytest.raises(ValidationError):
        services.rate(req, rating="satisfied")
    services.resolve(req, by=world.users["branch_secretary_a"], note="换了线路")
    services.rate(req, rating="unsatisfied")
    req.refresh_from_db()
    assert req.status == Status.CLOSED and req.ratings_given == 2
    with pytest.raises(ValidationError):
        services.rate(req, rating="satisfied")
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds.count("reopened") == 1 and kinds[-1] == "closed"


@pytest.fixture
def data_set(world):
    """Four requests in community A, one in X, with known times and ratings."""
    base = timezone.make_aware(datetime(2025, 6, 2, 9, 0))
    a = _resolved(world, at=base, hours=10, answer_in=2)                                  # on time (24h)
    b = _resolved(world, at=base, hours=30, answer_in=30, category=Category.SAFETY)        # late (4h)
    services.rate(a, rating="satisfied")
    services.rate(b, rating="unsatisfied")  # reopens
    c = request_in(world, now=base)  # still open
    d = _resolved(world, at=base, hours=20, answer_in=1)
    services.rate(d, rating="basic")
    _resolved(world, world.community_x, grid="x", at=base, hours=100)
    return a, b, c, d


def test_figures_per_community_category_and_handler(world, data_set):
    qs = Request.objects.filter(community=world.community_a)
    total = selectors.figures(qs)
    assert total["received"] == 4
    assert total["answered_on_time"] == 2
    assert total["resolved"] == 2  # b was reopened
    assert total["average_hours"] == 15.0
    assert total["satisfaction_rate"] == pytest.approx(2 / 3)
    by_category = {row["category"]: row for row in selectors.figures(qs, "category")}
    assert by_category["safety"]["received"] == 1 and by_category["safety"]["satisfaction_rate"] == 0
    assert by_category["environment"]["received"] == 3
    by_community = {row["community_id"]: row for row in selectors.figures(by="community")}
    assert by_community[world.community_x.pk]["average_hours"] == 100.0
    by_handler = {row["handler_id"]: row["received"] for row in selectors.figures(qs, "handler")}
    assert by_handler == {world.branch_a.pk: 4}


def test_anonymise_strips_phone_numbers_and_house_numbers():
    text = "我住3号楼2单元101室，电话13812345678，座机010-62345678，5栋302室也漏水"
    clean = selectors.anonymise(text)
    for secret in ("13812345678", "62345678", "3号楼", "101室", "302室", "2单元"):
        assert secret not in clean
    assert "漏水" in clean


def test_the_public_community_page_shows_figures_and_leaks_no_personal_data(world, client_for, data_set):
    a = data_set[0]
    a.text = "3号楼2单元101室孙丽反映楼道灯坏了，电话13912345678"
    a.contact_phone, a.address, a.resident = "13912345678", "幸福小区3号楼2单元101室", world.resident_a
    a.save()
    response = client_for("anonymous").get(reverse("voice:public_figures", kwargs={"code": world.community_a.code}))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-total="received">4<' in text
    assert "楼道灯坏了" in text
    for secret in ("13912345678", "101室", "3号楼", "幸福小区3号楼", world.resident_a.phone or "13912345678",
                   "branch_secretary_a", a.tracking_number):
        assert secret not in text
    assert world.community_x.name not in text


def test_staff_figures_page_is_scoped(world, client_for, data_set):
    text = client_for("community_secretary").get(reverse("voice:figures"), {"by": "community"}).content.decode()
    assert world.community_a.name in text and world.community_x.name not in text
