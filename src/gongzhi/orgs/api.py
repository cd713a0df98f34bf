"""Organization API: the same scoping as the pages."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from gongzhi.core.scoping import get_visible_or_404

from . import selectors
from .models import Grid, Organization

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    category: str
    parent_id: int | None
    depth: int
    established_on: date | None


class FiguresOut(Schema):
    members: int
    probationary: int
    households: int
    population: int
    residents_registered: int


class GridOut(Schema):
    id: int
    code: str
    name: str
    community_id: int
    branch_id: int | None


@router.get("/", response=list[OrganizationOut])
@paginate
def list_organizations(request, q: str = "", kind: str = ""):
    qs = Organization.objects.visible_to(request.user).search(q[:50])
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


@router.get("/{int:org_id}", response=OrganizationOut)
def get_organization(request, org_id: int):
    return get_visible_or_404(Organization, request.user, pk=org_id)


@router.get("/{int:org_id}/figures", response=FiguresOut)
def organization_figures(request, org_id: int):
    org = get_visible_or_404(Organization, request.user, pk=org_id)
    return selectors.subtree_figures(org)


@router.get("/{int:org_id}/children", response=list[OrganizationOut])
@paginate
def organization_children(request, org_id: int):
    org = get_visible_or_404(Organization, request.user, pk=org_id)
    return Organization.objects.visible_to(request.user).filter(parent=org).order_by("path")


@router.get("/grids/", response=list[GridOut])
@paginate
def list_grids(request):
    return Grid.objects.visible_to(request.user).order_by("code")
