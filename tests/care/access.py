"""Access cases for care pages: the own pairing joins member 赵磊 (member persona) with resident 孙丽."""

from datetime import date

from gongzhi.care.models import Pairing
from tests.access import STAFF, ApiCase, PageCase

USERS = STAFF | {"member"}
INDEX_USERS = USERS | {"unit_admin"}


def _pairing(w, own=True):
    member, resident = (w.member_a, w.resident_a) if own else (w.member_x, w.resident_x)
    found = Pairing.objects.filter(member=member, resident=resident).first()
    return found or Pairing.objects.create(member=member, resident=resident, frequency_days=14,
                                           started_on=date(2025, 1, 1))


def _visit(w, own=True):
    from gongzhi.care.models import Visit

    pairing = _pairing(w, own)
    # the need is stored encrypted: compared in Python, not in SQL
    found = next((v for v in Visit.objects.filter(pairing=pairing) if v.need.startswith("需要")), None)
    return found or Visit.objects.create(pairing=pairing, visited_on=date(2025, 6, 1), need="需要修理漏水的水龙头")


PAGE_CASES = [
    PageCase("care:index", allowed=INDEX_USERS),
    PageCase("care:index", allowed=INDEX_USERS, query="?overdue=1"),
    PageCase("care:registry", allowed=STAFF),
    PageCase("care:registry", allowed=STAFF, query="?kind=alone&grid=999&unpaired=on&page=3"),
    PageCase("care:pair", allowed=STAFF),
    PageCase("care:pair", allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"member": w.member_b.pk, "resident": w.resident_a.pk, "frequency_days": 30}),
    PageCase("care:resident", own=lambda w: {"pk": _pairing(w).resident_id},
             foreign=lambda w: {"pk": _pairing(w, False).resident_id}, allowed=USERS),
    PageCase("care:tag_add", own=lambda w: {"pk": _pairing(w).resident_id},
             foreign=lambda w: {"pk": _pairing(w, False).resident_id}, allowed=STAFF, method="post",
             data=lambda w: {"kind": "alone", "note": ""}, ok=frozenset({302})),
    PageCase("care:visit", own=lambda w: {"pk": _pairing(w).pk}, foreign=lambda w: {"pk": _pairing(w, False).pk},
             allowed=USERS, method="post", data=lambda w: {"visited_on": "2025-06-01", "note": "身体不错"},
             ok=frozenset({302})),
    PageCase("care:need_to_wish", own=lambda w: {"pk": _visit(w).pk}, foreign=lambda w: {"pk": _visit(w, False).pk},
             allowed=USERS, method="post", ok=frozenset({302})),
    PageCase("care:need_to_request", own=lambda w: {"pk": _visit(w).pk},
             foreign=lambda w: {"pk": _visit(w, False).pk}, allowed=USERS, method="post",
             data=lambda w: {"category": "facilities"}, ok=frozenset({302})),
]


API_CASES = [
    ApiCase("get", "/api/care/registry", allowed=INDEX_USERS),
    ApiCase("get", "/api/care/pairings", allowed=INDEX_USERS),
    ApiCase("get", "/api/care/pairings/overdue", allowed=INDEX_USERS),
    ApiCase("post", "/api/care/pairings/{pairing_id}/visits", own=lambda w: {"pairing_id": _pairing(w).pk},
            foreign=lambda w: {"pairing_id": _pairing(w, False).pk}, allowed=USERS,
            data=lambda w: {"visited_on": "2025-06-02", "note": "送药", "key": "access-matrix-visit"},
            ok=frozenset({200, 201})),
]
