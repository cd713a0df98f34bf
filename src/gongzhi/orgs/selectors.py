"""Page-level reads for organizations and places: home figures, tree nodes, organization pages."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from gongzhi.core.navigation import organization_links
from gongzhi.core.scoping import role_organizations, scope_paths

from .models import COMMUNITY_LEVEL, Building, CoBuildingAgreement, Grid, Household, Organization, OrgKind
from .people import members_held_count, subtree_people


def scope_roots(user) -> list[Organization]:
    """The top organizations of the subtrees a user covers (roots of the tree browser)."""
    if user.is_superuser:
        return list(Organization.objects.filter(parent__isnull=True).select_related("secretary"))
    paths = scope_paths(user)
    return list(Organization.objects.filter(path__in=paths).select_related("secretary"))




def subtree_figures(org: Organization) -> dict:
    """Sub-organizations by type, party members, residents and households of one subtree.

    Four queries whatever the size of the subtree.
    """
    kinds = dict(
        Organization.objects.filter(path__startswith=org.path).exclude(pk=org.pk)
        .values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    sub_orgs = [(label, kinds[value]) for value, label in OrgKind.choices if kinds.get(value)]
    people = subtree_people(org.path)
    places = Household.objects.filter(building__grid__community__path__startswith=org.path).aggregate(
        households=Count("id"), population=Coalesce(Sum("resident_count"), 0)
    )
    population = places["population"]
    return {
        "organization": org,
        "sub_orgs": sub_orgs,
        "members": people["members"],
        "probationary": people["probationary"],
        "households": places["households"],
        "population": population,
        "residents_registered": people["residents_registered"],
        "member_share": (people["members"] / population) if population else None,
    }


def home_overview(user) -> dict:
    roots = scope_roots(user)
    return {
        "figures": [subtree_figures(org) for org in roots[:12]],
        "personal_orgs": [o for o in role_organizations(user) if o not in roots],
    }


def tree_children(organization: Organization | None, user):
    """Children of a node (or the user's roots), with "has children" and member counts, in one query."""
    if organization is None:
        base = Organization.objects.filter(pk__in=[o.pk for o in scope_roots(user)])
    else:
        base = Organization.objects.visible_to(user).filter(parent=organization)
    return (
        base.select_related("secretary")
        .annotate(
            has_children=Exists(Organization.objects.filter(parent=OuterRef("pk"))),
            member_count=members_held_count(),
        )
        .order_by("path")
    )


def organization_page(org: Organization, user) -> dict:
    children = (
        Organization.objects.filter(parent=org).select_related("secretary")
        .annotate(member_count=members_held_count()).order_by("path")
    )
    grids = buildings = None
    if org.kind in COMMUNITY_LEVEL:
        grids = (
            Grid.objects.filter(community=org).select_related("branch", "grid_worker")
            .annotate(building_count=Count("buildings", distinct=True))
        )
    elif org.kind == OrgKind.BRANCH:
        grids = (
            org.covered_grids.select_related("branch", "grid_worker")
            .annotate(building_count=Count("buildings", distinct=True))
        )
    if org.kind == OrgKind.GROUP:
        buildings = Building.objects.filter(group=org).select_related("grid").annotate(
            household_count=Count("households"))
    children, grids, buildings = (
        _mark_visible(rows, user) if rows is not None else None for rows in (children, grids, buildings))
    agreements = (
        CoBuildingAgreement.objects.filter(Q(community=org) | Q(unit__organization=org))
        .select_related("unit", "community")
    )
    return {
        "org": org,
        "links": organization_links(user, org),
        "ancestors": list(Organization.objects.visible_to(user).ancestors_of(org)),
        "children": children,
        "grids": grids,
        "buildings": buildings,
        "agreements": agreements,
        "figures": subtree_figures(org),
    }


def _mark_visible(rows, user) -> list:
    """Evaluate rows and set ``visible`` on each: the page links only what the user may open."""
    rows = list(rows)
    if rows:
        model = type(rows[0])
        visible = set(model.objects.visible_to(user).filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True))
        for row in rows:
            row.visible = row.pk in visible
    return rows


def grid_page(grid: Grid) -> dict:
    buildings = (
        Building.objects.filter(grid=grid).select_related("group")
        .annotate(household_count=Count("households"), population=Coalesce(Sum("households__resident_count"), 0))
    )
    totals = Household.objects.filter(building__grid=grid).aggregate(
        households=Count("id"), population=Coalesce(Sum("resident_count"), 0))
    return {"grid": grid, "buildings": buildings, "totals": totals}


def building_page(building: Building) -> dict:
    households = Household.objects.filter(building=building).order_by("entrance", "floor", "number")
    totals = households.aggregate(households=Count("id"), population=Coalesce(Sum("resident_count"), 0))
    return {"building": building, "households": households, "totals": totals}
