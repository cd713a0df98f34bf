import itertools

from tests.access import COMMUNITY_SCOPE, STAFF, SUBTREE, ApiCase, PageCase

SUBTREE_ROLES = SUBTREE

PAGE_CASES = [
    PageCase("orgs:tree"),
    PageCase("orgs:tree", query="?q=xf"),
    # Community A: its staff, the street above and the supervisor; not a branch secretary or the unit.
    PageCase("orgs:detail", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE | {"resident"}),
    # Branch B: a branch secretary of branch A is refused the sibling branch.
    PageCase("orgs:detail", own=lambda w: {"pk": w.branch_b.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=COMMUNITY_SCOPE | {"branch_secretary_b"}),
    PageCase("orgs:children", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE | {"resident"}),
    PageCase("orgs:grid", own=lambda w: {"pk": w.grid_a.pk}, foreign=lambda w: {"pk": w.grid_x.pk},
             allowed=COMMUNITY_SCOPE),
    PageCase("orgs:building", own=lambda w: {"pk": w.building_a.pk}, foreign=lambda w: {"pk": w.building_x.pk},
             allowed=COMMUNITY_SCOPE),
]

API_CASES = [
    ApiCase("get", "/api/orgs/"),
    ApiCase("get", "/api/orgs/{org_id}", own=lambda w: {"org_id": w.branch_a.pk},
            foreign=lambda w: {"org_id": w.branch_x.pk},
            allowed=COMMUNITY_SCOPE | {"branch_secretary_a", "member", "treasurer_a"}),
    ApiCase("get", "/api/orgs/{org_id}/figures", own=lambda w: {"org_id": w.community_a.pk},
            foreign=lambda w: {"org_id": w.community_x.pk}, allowed=COMMUNITY_SCOPE | {"resident"}),
    ApiCase("get", "/api/orgs/{org_id}/children", own=lambda w: {"org_id": w.community_a.pk},
            foreign=lambda w: {"org_id": w.community_x.pk}, allowed=COMMUNITY_SCOPE | {"resident"}),
    ApiCase("get", "/api/orgs/grids/"),
]

# --- administration of organizations and places (orgs/admin_views.py, orgs/setup_views.py) ------------------
# The street administrator manages its communities and co-building units; a community secretary or staff its
# branches, groups, grids, buildings, households and agreements. Posts that change state are walked here with
# a fresh code each time; moving and closing are tested with their rules in tests/orgs/test_administration.py.

STREET = frozenset({"street_admin"})
_serial = itertools.count(1)


def _code(prefix):
    return f"{prefix}-{next(_serial)}"


PAGE_CASES += [
    PageCase("orgs:manage", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF),
    PageCase("orgs:manage", own=lambda w: {"pk": w.street_a.pk}, foreign=lambda w: {"pk": w.street_b.pk},
             allowed=STREET),
    PageCase("orgs:org_new", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF),
    PageCase("orgs:org_new", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"kind": "branch", "code": _code("NB"), "name": "新党支部", "category": "grid"}),
    # A community secretary cannot create a sibling community: only the street can.
    PageCase("orgs:org_new", own=lambda w: {"pk": w.street_a.pk}, foreign=lambda w: {"pk": w.street_b.pk},
             allowed=STREET, method="post", ok=frozenset({302}),
             data=lambda w: {"kind": "community", "code": _code("NC"), "name": "新社区党委"}),
    PageCase("orgs:org_edit", own=lambda w: {"pk": w.branch_a.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=STAFF),
    PageCase("orgs:org_edit", own=lambda w: {"pk": w.branch_a.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=STAFF, method="post", ok=frozenset({302}), data=lambda w: {"name": "第一网格党支部（更名）"}),
    PageCase("orgs:org_edit", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STREET),
    PageCase("orgs:org_move", own=lambda w: {"pk": w.group_a1.pk}, foreign=lambda w: {"pk": w.group_x.pk},
             allowed=STAFF),
    PageCase("orgs:org_close", own=lambda w: {"pk": w.branch_b.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=STAFF),
    PageCase("orgs:grid_new", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"code": _code("G"), "name": "新网格", "branch": w.branch_a.pk}),
    PageCase("orgs:grid_edit", own=lambda w: {"pk": w.grid_a.pk}, foreign=lambda w: {"pk": w.grid_x.pk},
             allowed=STAFF),
    PageCase("orgs:building_new", own=lambda w: {"pk": w.grid_a.pk}, foreign=lambda w: {"pk": w.grid_x.pk},
             allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"name": _code("楼"), "entrances": 2, "floors": 6}),
    PageCase("orgs:building_edit", own=lambda w: {"pk": w.building_a.pk}, foreign=lambda w: {"pk": w.building_x.pk},
             allowed=STAFF),
    PageCase("orgs:household_new", own=lambda w: {"pk": w.building_a.pk},
             foreign=lambda w: {"pk": w.building_x.pk}, allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"entrance": 1, "floor": 2, "number": _code("2"), "resident_count": 3}),
    PageCase("orgs:household_edit", own=lambda w: {"pk": w.household_a.pk},
             foreign=lambda w: {"pk": w.household_x.pk}, allowed=STAFF),
    PageCase("orgs:unit_new", own=lambda w: {"pk": w.street_a.pk}, foreign=lambda w: {"pk": w.street_b.pk},
             allowed=STREET),
    PageCase("orgs:agreement_new", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=STAFF),
    PageCase("orgs:agreement_edit", own=lambda w: {"pk": w.agreement.pk}, allowed=STAFF),
    PageCase("orgs:agreement_renew", own=lambda w: {"pk": w.agreement.pk}, allowed=STAFF, method="post",
             ok=frozenset({302})),
    PageCase("orgs:setup_import", allowed=STAFF),
    PageCase("orgs:setup_import_confirm", allowed=STAFF, method="post", ok=frozenset({302})),
    PageCase("orgs:setup_import_report", allowed=STAFF, ok=frozenset({302})),
    PageCase("orgs:setup_template", own=lambda w: {"kind": "tree"}, allowed=STAFF),
    PageCase("orgs:setup_template", own=lambda w: {"kind": "places"}, allowed=STAFF),
]
