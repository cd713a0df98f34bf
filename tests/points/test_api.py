"""Points API: own figures and history, the scoped ledger, rankings, titles, the shop and idempotent
redeeming."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.points.models import OrgPointsSettings, PointEntry, Redemption, Reward, RuleCode
from gongzhi.recognition.models import Badge, BadgeMetric

pytestmark = pytest.mark.django_db
CSRF = "c" * 32


def _award(member, org, points, day, key):
    return PointEntry.objects.create(member=member, organization=org, points=Decimal(points),
                                     code=RuleCode.MANUAL_AWARD, idempotency_key=key, occurred_on=day)


@pytest.fixture
def data(world):
    w = world
    today = timezone.localdate()
    _award(w.member_a, w.branch_a, 30, today, "a1")
    _award(w.member_a, w.branch_a, 5, date(today.year - 1, 6, 1), "a0")
    _award(w.member_b, w.branch_b, 40, today, "b1")
    _award(w.member_x, w.branch_x, 99, today, "x1")
    Badge.objects.create(organization=w.community_a, name="积分标兵", metric=BadgeMetric.POINTS, threshold=25)
    w.reward = Reward.objects.create(organization=w.community_a, name="环保袋", price=Decimal(10), stock=2)
    w.reward_x = Reward.objects.create(organization=w.community_x, name="外街毛巾", price=Decimal(1), stock=9)
    return w


def _post(client, url, data):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)


def test_mine_gives_own_figures_rank_and_titles(data, client_for):
    w = data
    client = client_for("member")
    body = client.get("/api/points/mine").json()
    assert (body["points_this_year"], body["points_in_all"], body["rank"], body["titles"]) == (
        "30.0", "35.0", None, ["积分标兵"])
    OrgPointsSettings.objects.create(organization=w.community_a, rankings_visible_to_members=True)
    body = client.get("/api/points/mine").json()
    assert body["rank"] == {"rank": 2, "of": 3, "organization": "幸福社区党委"}
    entries = client.get("/api/points/mine/entries").json()["items"]
    assert [e["points"] for e in entries] == ["30.0", "5.0"]
    assert client_for("community_secretary").get("/api/points/mine").status_code == 404


def test_ledger_is_scoped_and_filtered(data, client_for):
    w = data
    rows = client_for("community_secretary").get("/api/points/entries").json()["items"]
    assert {r["member"] for r in rows} == {"赵磊", "钱明"}
    branch = client_for("branch_secretary_b").get("/api/points/entries").json()["items"]
    assert {r["member"] for r in branch} == {"钱明"}
    month = timezone.localdate().strftime("%Y-%m")
    filtered = client_for("community_secretary").get("/api/points/entries",
                                                     {"member_id": w.member_a.pk, "month": month}).json()["items"]
    assert [r["points"] for r in filtered] == ["30.0"]
    bad = client_for("community_secretary").get("/api/points/entries", {"month": "2025-13"})
    assert bad.status_code == 422
    assert client_for("community_secretary").get("/api/points/entries", {"code": "nope"}).status_code == 422


def test_rankings_and_titles(data, client_for):
    w = data
    client = client_for("community_secretary")
    body = client.get(f"/api/points/rankings/{w.community_a.pk}", {"period": "month"}).json()
    assert [(m["rank"], m["name"], m["points"]) for m in body["members"]] == [
        (1, "钱明", "40.0"), (2, "赵磊", "30.0"), (3, "孙红", "0.0")]
    assert [b["name"] for b in body["branches"]] == ["第二网格党支部", "第一网格党支部"]
    assert body["activation"] == {"members": 3, "active": 0, "rate": 0.0}
    assert client.get(f"/api/points/rankings/{w.community_a.pk}", {"period": "week"}).status_code == 422
    assert client.get(f"/api/points/rankings/{w.community_x.pk}").status_code == 404
    titles = client.get(f"/api/points/titles/{w.community_a.pk}").json()["items"]
    assert [(t["name"], [h["name"] for h in t["holders"]]) for t in titles] == [("积分标兵", ["钱明", "赵磊"])]


def test_redeem_is_idempotent_and_refuses_beyond_balance_or_stock(data, client_for):
    w = data
    client = client_for("member")
    assert [r["name"] for r in client.get("/api/points/rewards").json()["items"]] == ["环保袋"]
    url = f"/api/points/rewards/{w.reward.pk}/redeem"
    first = _post(client, url, {"key": "tap-1"})
    again = _post(client, url, {"key": "tap-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["balance"] == "25.0"
    assert _post(client, url, {"key": "tap-2"}).status_code == 201
    out = _post(client, url, {"key": "tap-3"})
    assert out.status_code == 409 and Redemption.objects.count() == 2
    w.reward.refresh_from_db()
    assert w.reward.stock == 0
    rich = Reward.objects.create(organization=w.community_a, name="电饭煲", price=Decimal(500), stock=1)
    short = _post(client, f"/api/points/rewards/{rich.pk}/redeem", {"key": "tap-4"})
    assert short.status_code == 409 and Redemption.objects.count() == 2
    assert _post(client, url, {"key": " "}).status_code == 422
    assert _post(client, f"/api/points/rewards/{w.reward_x.pk}/redeem", {"key": "x"}).status_code == 404
    mine = client.get("/api/points/redemptions/mine").json()["items"]
    assert [(r["reward"], r["state"]) for r in mine] == [("环保袋", "waiting"), ("环保袋", "waiting")]


def test_the_ledgers_items_are_read_as_values_and_page_by_their_cursor(data, client_for):
    """No model instance per entry, member or organization: the rows are values (``EntryRow``), each item as
    before, and the next page follows the cursor of the last one."""
    from django.db.models.signals import pre_init

    w = data
    made = set()

    def note(sender, **kwargs):
        made.add(sender._meta.label)

    client = client_for("community_secretary")
    pre_init.connect(note)
    try:
        first = client.get("/api/points/entries", {"limit": 1}).json()
    finally:
        pre_init.disconnect(note)
    assert not made & {"points.PointEntry", "members.Member"}
    entry = PointEntry.objects.get(member=w.member_b, idempotency_key="b1")
    item = {"id": entry.pk, "member_id": w.member_b.pk, "member": "钱明", "organization_id": w.branch_b.pk,
            "organization": w.branch_b.name, "points": "40.0", "code": "manual_award",
            "code_label": str(entry.get_code_display()), "hours": None, "occurred_on": entry.occurred_on.isoformat(),
            "reason": "", "reverses_id": None}
    assert first["items"] == [item] and first["count"] == 3 and first["next"]
    rest = client.get("/api/points/entries", {"after": first["next"]}).json()
    assert [i["member"] for i in rest["items"]] == ["赵磊", "赵磊"] and rest["next"] is None
