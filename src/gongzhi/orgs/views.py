"""Home, the organization tree browser, organization pages and place pages."""

from django.core.paginator import Paginator
from django.shortcuts import render

from gongzhi.accounts.permissions import can_view_org
from gongzhi.core.edge import require
from gongzhi.core.scoping import get_visible_or_404

from . import selectors
from .models import Building, Grid, Organization


def home(request):
    from gongzhi.core.todolist import todo_for

    return render(request, "orgs/home.html", {**selectors.home_overview(request.user), "todo": todo_for(request.user)})


def tree(request):
    query = request.GET.get("q", "").strip()[:50]
    context = {"query": query}
    if query:
        results = (
            Organization.objects.visible_to(request.user).search(query)
            .select_related("parent").order_by("path")
        )
        context["results"] = Paginator(results, 50).get_page(request.GET.get("page"))
    else:
        context["nodes"] = selectors.tree_children(None, request.user)
    if request.htmx_target == "tree-results":
        return render(request, "orgs/tree.html#results", context)
    return render(request, "orgs/tree.html", context)


def tree_children(request, pk: int):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    nodes = selectors.tree_children(org, request.user)
    return render(request, "orgs/tree.html#nodes", {"nodes": nodes, "parent": org})


def organization_detail(request, pk: int):
    org = get_visible_or_404(Organization.objects.select_related("parent", "secretary"), request.user, pk=pk)
    return render(request, "orgs/organization.html", selectors.organization_page(org, request.user))


def grid_detail(request, pk: int):
    grid = get_visible_or_404(Grid.objects.select_related("community", "branch", "grid_worker"),
                              request.user, pk=pk)
    require(can_view_org(request.user, grid.community))
    return render(request, "orgs/grid.html", selectors.grid_page(grid))


def building_detail(request, pk: int):
    building = get_visible_or_404(Building.objects.select_related("grid__community", "group"),
                                  request.user, pk=pk)
    require(can_view_org(request.user, building.grid.community))
    return render(request, "orgs/building.html", selectors.building_page(building))
