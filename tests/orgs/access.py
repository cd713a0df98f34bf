from tests.access import COMMUNITY_SCOPE, SUBTREE, ApiCase, PageCase

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
