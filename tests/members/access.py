"""Access cases for every members URL (tests/test_access_matrix.py)."""

from tests.access import ALL_LOGGED_IN, STAFF, PageCase

SUBTREE = ALL_LOGGED_IN - {"member", "resident"}
MEMBER_A_READERS = STAFF | {"supervisor", "branch_secretary_a", "member"}


def own_member(w):
    return {"pk": w.member_a.pk}


def foreign_member(w):
    return {"pk": w.member_x.pk}


def own_community(w):
    return {"pk": w.community_a.pk}


def foreign_community(w):
    return {"pk": w.community_x.pk}


PAGE_CASES = [
    PageCase("members:list", allowed=SUBTREE),
    PageCase("members:export", allowed=SUBTREE),
    PageCase("members:detail", own=own_member, foreign=foreign_member, allowed=MEMBER_A_READERS),
    PageCase("members:reveal", own=own_member, foreign=foreign_member, allowed=STAFF, method="post"),
    PageCase("members:import", allowed=STAFF),
    PageCase("members:import_confirm", allowed=STAFF, method="post", ok=frozenset({302})),
    PageCase("members:stats", own=own_community, foreign=foreign_community, allowed=STAFF | {"supervisor"}),
]
