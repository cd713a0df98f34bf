"""Access cases for the points pages: an entry of member A earned in branch A (and of member X)."""

from datetime import date
from decimal import Decimal

from gongzhi.points.models import PointEntry, RuleCode
from tests.access import COMMUNITY_SCOPE, STAFF, SUBTREE, ApiCase, PageCase


def _entry(member, org):
    entry, _created = PointEntry.objects.get_or_create(
        idempotency_key=f"access:{member.pk}",
        defaults={"member": member, "organization": org, "points": Decimal(2), "code": RuleCode.MANUAL_AWARD,
                  "occurred_on": date(2025, 5, 1), "reason": "access"})
    return entry


def _reward(org):
    from gongzhi.points.models import Reward

    reward, _created = Reward.objects.get_or_create(organization=org, name="环保袋",
                                                    defaults={"price": Decimal(5), "stock": 3})
    return {"pk": reward.pk}


def _redemption(w, own=True):
    from gongzhi.points import shop
    from gongzhi.points.models import Redemption, Reward

    member, org = (w.member_a, w.community_a) if own else (w.member_x, w.community_x)
    found = Redemption.objects.filter(member=member).first()
    if found is None:
        PointEntry.objects.get_or_create(idempotency_key=f"access-rich:{member.pk}", defaults={
            "member": member, "organization": org, "points": Decimal(20), "code": RuleCode.MANUAL_AWARD,
            "occurred_on": date(2025, 5, 1)})
        found, _created = shop.redeem(member=member, reward=Reward.objects.get(pk=_reward(org)["pk"]),
                                      key=f"access-{member.pk}", by=None)
    return {"pk": found.pk}


def _award(w, own=True):
    from gongzhi.points.models import ManualAward

    member, org, by = ((w.member_a, w.community_a, w.users["community_secretary"]) if own
                       else (w.member_x, w.community_x, w.users["foreign_secretary"]))
    found = ManualAward.objects.filter(member=member).first()
    found = found or ManualAward.objects.create(member=member, organization=org, points=Decimal(3), reason="协助调解",
                                                proposed_by=by)
    return {"pk": found.pk}


PAGE_CASES = [
    PageCase("points:manual_awards", allowed=STAFF),
    PageCase("points:manual_award_decide", own=_award, foreign=lambda w: _award(w, False), allowed=STAFF,
             method="post", data=lambda w: {"decision": "approve"}, ok=frozenset({302})),
    PageCase("points:redemptions", allowed=STAFF),
    PageCase("points:redemptions", allowed=STAFF, query="?state=cancelled&page=4"),
    PageCase("points:hand_over", own=_redemption, foreign=lambda w: _redemption(w, False), allowed=STAFF,
             method="post", ok=frozenset({302})),
    PageCase("points:cancel_redemption", own=_redemption, foreign=lambda w: _redemption(w, False), allowed=STAFF,
             method="post", data=lambda w: {"reason": "不要了"}, ok=frozenset({302})),
    PageCase("points:shop", allowed=STAFF | {"member"}),
    PageCase("points:reward_new", allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"organization": w.community_a.pk, "name": "雨伞", "price": "10", "stock": "2"}),
    PageCase("points:redeem", own=lambda w: _reward(w.community_a), foreign=lambda w: _reward(w.community_x),
             allowed={"member"}, method="post", data=lambda w: {"key": "k1"}, ok=frozenset({302})),
    PageCase("points:ledger", allowed=SUBTREE),
    PageCase("points:ledger", query="?member=赵&code=manual_award&month=2025-05",
             allowed=SUBTREE),
    PageCase("points:reverse", own=lambda w: {"pk": _entry(w.member_a, w.branch_a).pk},
             foreign=lambda w: {"pk": _entry(w.member_x, w.branch_x).pk}, method="post",
             data=lambda w: {"reason": "录入错误"}, allowed=STAFF | {"branch_secretary_a"}, ok=frozenset({302})),
    PageCase("points:rules", own=lambda w: {"pk": w.branch_a.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=COMMUNITY_SCOPE | {"branch_secretary_a"}),
]


def _api_reward(w, own=True):
    member, org = (w.member_a, w.community_a) if own else (w.member_x, w.community_x)
    PointEntry.objects.get_or_create(idempotency_key=f"api-rich:{member.pk}", defaults={
        "member": member, "organization": org, "points": Decimal(500), "code": RuleCode.MANUAL_AWARD,
        "occurred_on": date(2025, 5, 1)})
    from gongzhi.points.models import Reward

    reward, _created = Reward.objects.get_or_create(organization=org, name="API雨伞",
                                                    defaults={"price": Decimal(1), "stock": 100})
    return {"reward_id": reward.pk}


READERS = COMMUNITY_SCOPE
API_CASES = [
    ApiCase("get", "/api/points/mine/entries", allowed={"member"}),
    ApiCase("get", "/api/points/entries", allowed=SUBTREE),
    ApiCase("get", "/api/points/rewards", allowed=STAFF | {"member"}),
    ApiCase("post", "/api/points/rewards/{reward_id}/redeem", own=_api_reward, foreign=lambda w: _api_reward(w, False),
            allowed={"member"}, data=lambda w: {"key": "matrix"}, ok=frozenset({200, 201})),
    ApiCase("get", "/api/points/redemptions/mine", allowed={"member"}),
]
