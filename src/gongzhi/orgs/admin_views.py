"""Administration of organizations and places, by role and level: create, rename (and set the secretary),
move a subtree, close an organization; grids, buildings with entrances and floors, households; co-building
units and their agreements. Thin views: parse, authorise (``orgs.permissions``), call ``orgs.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.models import User
from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.scoping import get_visible_or_404

from . import services
from .admin_forms import (
    AgreementForm,
    BuildingForm,
    CloseForm,
    GridForm,
    HouseholdForm,
    MoveForm,
    OrganizationEditForm,
    OrganizationForm,
    RenewForm,
    UnitForm,
)
from .models import (
    COMMUNITY_LEVEL,
    PARENT_KINDS,
    STEP,
    UPPER_LEVEL,
    Building,
    CoBuildingAgreement,
    CoBuildingUnit,
    Grid,
    Household,
    Organization,
    OrgKind,
)
from .permissions import (
    BY_KIND,
    can_administer,
    can_administer_places,
    can_create,
    can_import_setup,
    can_manage_here,
    creatable_kinds,
)


def _org(request, pk) -> Organization:
    return get_visible_or_404(Organization.objects.select_related("parent", "secretary"), request.user, pk=pk)


def _form_page(request, template_context: dict, *, status=None):
    form = template_context["form"]
    code = status or (400 if request.method == "POST" and (form.errors or form.non_field_errors()) else 200)
    return render(request, "orgs/admin_form.html", template_context, status=code)


def manage(request, pk):
    """What the user may administer here: the organization, its sub-organizations, places and agreements."""
    org = _org(request, pk)
    kinds = creatable_kinds(request.user, org)
    may = {"edit": can_administer(request.user, org), "create": bool(kinds),
           "places": org.kind in COMMUNITY_LEVEL and can_administer_places(request.user, org),
           "units": org.kind in UPPER_LEVEL and can_create(request.user, OrgKind.UNIT, org),
           "import": can_import_setup(request.user, org)}
    require(any(may.values()) or can_manage_here(request.user, org))
    children = list(Organization.objects.filter(parent=org).select_related("secretary").order_by("path"))
    for child in children:
        child.may_edit = can_administer(request.user, child)
    context = {"org": org, "may": may, "children": children, "warning": services.branch_size_warning(org)}
    if may["places"]:
        context["grids"] = (Grid.objects.filter(community=org).select_related("branch", "grid_worker")
                            .annotate(n_buildings=Count("buildings")))
        context["agreements"] = CoBuildingAgreement.objects.filter(community=org).select_related("unit")
    if may["units"]:
        context["units"] = CoBuildingUnit.objects.filter(organization__parent=org).select_related("organization")
    return render(request, "orgs/manage.html", context)


def org_new(request, pk):
    parent = _org(request, pk)
    kinds = creatable_kinds(request.user, parent)
    require(bool(kinds) and parent.is_active)
    form = OrganizationForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(can_create(request.user, data["kind"], parent))
        try:
            org = services.create_organization(parent=parent, kind=data["kind"], code=data["code"],
                                               name=data["name"], category=data["category"],
                                               established_on=data["established_on"], by=request.user,
                                               request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("%(org)s was created.") % {"org": org.name})
            warning = services.branch_size_warning(org)
            if warning:
                messages.warning(request, warning)
            return redirect("orgs:manage", pk=parent.pk)
    return _form_page(request, {"form": form, "org": parent, "title": _("New organization under %(org)s") % {
        "org": parent.name}})


def _secretaries(org):
    held = Q(roles__organization__path__startswith=org.path) | Q(member__home_org__path__startswith=org.path)
    return User.objects.filter(is_active=True).filter(
        pk__in=User.objects.filter(held).values("pk")).order_by("display_name", "username")


def org_edit(request, pk):
    org = _org(request, pk)
    require(can_administer(request.user, org))
    initial = {"name": org.name, "category": org.category, "established_on": org.established_on,
               "address": org.address, "secretary": org.secretary_id}
    form = OrganizationEditForm(request.POST or None, initial=initial, secretaries=_secretaries(org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_organization(organization=org, name=data["name"], category=data["category"],
                                         established_on=data["established_on"], address=data["address"],
                                         by=request.user, request=request)
            if (data["secretary"].pk if data["secretary"] else None) != org.secretary_id:
                services.set_secretary(organization=org, secretary=data["secretary"], by=request.user,
                                       request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:manage", pk=org.pk)
    return _form_page(request, {"form": form, "org": org, "title": _("Rename %(org)s or set its secretary") % {
        "org": org.name}})


def _parents_for(user, org, *, suitable: bool = True):
    """Where the user may move ``org``: organizations in the user's scope for its kind; ``suitable`` keeps only
    those of a kind that may hold it, outside its own subtree (the choices shown). A posted parent is checked
    against the whole scope, so that a cycle or a wrong kind gets the service's reason, not "not a choice"."""
    cap = BY_KIND[org.kind]
    candidates = Organization.objects.filter(is_active=True).exclude(pk=org.pk).order_by("path")
    if suitable:
        allowed = [k for k in PARENT_KINDS[org.kind] if k is not None]
        candidates = candidates.filter(kind__in=allowed).exclude(path__startswith=org.path).exclude(pk=org.parent_id)
    if not user.is_superuser:
        query = Q(pk__in=[])
        for root in cap.paths(user):
            query |= Q(path__startswith=root)
        candidates = candidates.filter(query)
    return candidates


def org_move(request, pk):
    org = _org(request, pk)
    require(can_administer(request.user, org) and org.parent_id is not None)
    form = MoveForm(request.POST or None, parents=_parents_for(request.user, org, suitable=False))
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["parent"]
        try:
            services.move_organization(organization=org, new_parent=target, by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("%(org)s and everything below it now belong to %(parent)s.") % {
                "org": org.name, "parent": target.name})
            return redirect("orgs:manage", pk=org.pk)
    form.fields["parent"].queryset = _parents_for(request.user, org)
    return _form_page(request, {"form": form, "org": org, "title": _("Move %(org)s with its subtree") % {
        "org": org.name}, "intro": _("Everything below it moves too; people with roles inside keep them.")})


def org_close(request, pk):
    org = _org(request, pk)
    require(can_administer(request.user, org) and org.is_active)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_organization(organization=org, on=form.cleaned_data["closed_on"], by=request.user,
                                        request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("%(org)s is closed; its records are kept.") % {"org": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return _form_page(request, {"form": form, "org": org, "danger": True,
                                "title": _("Close %(org)s") % {"org": org.name},
                                "intro": _("Its members must have been transferred and its sub-organizations "
                                           "closed or moved first. Its history stays; roles held at it end on "
                                           "that date.")})


# --- places ----------------------------------------------------------------------------------------------


def _grid_choices(community):
    branches = Organization.objects.filter(path__startswith=community.path, kind=OrgKind.BRANCH, is_active=True)
    workers = User.objects.filter(is_active=True, pk__in=User.objects.filter(
        roles__organization__path__startswith=community.path).values("pk")).order_by("display_name")
    return {"branches": branches, "workers": workers}


def _save(request, form, save, *, success, back):
    try:
        save()
    except ValidationError as error:
        add_to_form(form, error)
        return None
    messages.success(request, success)
    return redirect(back)


def grid_new(request, pk):
    community = _org(request, pk)
    require(community.kind in COMMUNITY_LEVEL and can_administer_places(request.user, community))
    form = GridForm(request.POST or None, instance=Grid(community=community), **_grid_choices(community))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_grid(grid=form.instance, by=request.user, request=request),
                     success=_("Grid saved."), back=f"/orgs/{community.pk}/manage/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": community, "title": _("New grid in %(org)s") % {
        "org": community.name}})


def grid_edit(request, pk):
    grid = get_visible_or_404(Grid.objects.select_related("community"), request.user, pk=pk)
    require(can_administer_places(request.user, grid.community))
    form = GridForm(request.POST or None, instance=grid, **_grid_choices(grid.community))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_grid(grid=form.instance, by=request.user, request=request),
                     success=_("Grid saved."), back=f"/orgs/grids/{grid.pk}/")
        if done:
            return done
    items = [(b.name, reverse("orgs:building_edit", args=[b.pk])) for b in grid.buildings.all()]
    return _form_page(request, {"form": form, "org": grid.community, "title": grid.name, "items": items,
                                "items_title": _("Buildings"),
                                "extra_link": ("orgs:building_new", grid.pk, _("New building in this grid"))})


def _groups(community):
    return Organization.objects.filter(path__startswith=community.path, kind=OrgKind.GROUP, is_active=True)


def building_new(request, pk):
    grid = get_visible_or_404(Grid.objects.select_related("community"), request.user, pk=pk)
    require(can_administer_places(request.user, grid.community))
    form = BuildingForm(request.POST or None, instance=Building(grid=grid), groups=_groups(grid.community))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_building(building=form.instance, by=request.user,
                                                                   request=request),
                     success=_("Building saved."), back=f"/orgs/grids/{grid.pk}/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": grid.community, "title": _("New building in %(grid)s") % {
        "grid": grid.name}})


def building_edit(request, pk):
    building = get_visible_or_404(Building.objects.select_related("grid__community"), request.user, pk=pk)
    require(can_administer_places(request.user, building.grid.community))
    form = BuildingForm(request.POST or None, instance=building, groups=_groups(building.grid.community))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_building(building=form.instance, by=request.user,
                                                                   request=request),
                     success=_("Building saved."), back=f"/orgs/buildings/{building.pk}/")
        if done:
            return done
    items = [(f"{h.entrance}-{h.number}", reverse("orgs:household_edit", args=[h.pk]))
             for h in building.households.all()]
    return _form_page(request, {"form": form, "org": building.grid.community, "title": building.name,
                                "items": items, "items_title": _("Households"),
                                "extra_link": ("orgs:household_new", building.pk, _("New household"))})


def household_new(request, pk):
    building = get_visible_or_404(Building.objects.select_related("grid__community"), request.user, pk=pk)
    require(can_administer_places(request.user, building.grid.community))
    form = HouseholdForm(request.POST or None, instance=Household(building=building))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_household(household=form.instance, by=request.user,
                                                                    request=request),
                     success=_("Household saved."), back=f"/orgs/buildings/{building.pk}/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": building.grid.community,
                                "title": _("New household in %(building)s") % {"building": building.name}})


def household_edit(request, pk):
    household = get_visible_or_404(Household.objects.select_related("building__grid__community"), request.user,
                                   pk=pk)
    require(can_administer_places(request.user, household.building.grid.community))
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_household(household=form.instance, by=request.user,
                                                                    request=request),
                     success=_("Household saved."), back=f"/orgs/buildings/{household.building_id}/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": household.building.grid.community, "title": str(household)})


# --- co-building units and agreements --------------------------------------------------------------------


def unit_new(request, pk):
    parent = _org(request, pk)
    require(parent.kind in UPPER_LEVEL and can_create(request.user, OrgKind.UNIT, parent))
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _save(request, form, lambda: services.create_unit(
            parent=parent, code=data["code"], name=data["name"], kind=data["kind"], org_name=data["org_name"],
            contact_name=data["contact_name"], contact_phone=data["contact_phone"], by=request.user,
            request=request), success=_("Co-building unit saved."), back=f"/orgs/{parent.pk}/manage/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": parent, "title": _("New co-building unit")})


def _units_for(community):
    top = community.path[:STEP]
    return CoBuildingUnit.objects.filter(organization__path__startswith=top, organization__is_active=True)


def agreement_new(request, pk):
    community = _org(request, pk)
    require(community.kind in COMMUNITY_LEVEL and can_administer_places(request.user, community))
    form = AgreementForm(request.POST or None, instance=CoBuildingAgreement(community=community),
                         units=_units_for(community))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_agreement(agreement=form.instance, by=request.user,
                                                                    request=request),
                     success=_("Agreement saved."), back=f"/orgs/{community.pk}/manage/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": community, "title": _("New co-building agreement")})


def _agreement(request, pk):
    agreement = get_visible_or_404(CoBuildingAgreement.objects.select_related("community", "unit"), request.user,
                                   pk=pk)
    require(can_administer_places(request.user, agreement.community))
    return agreement


def agreement_edit(request, pk):
    agreement = _agreement(request, pk)
    form = AgreementForm(request.POST or None, instance=agreement, units=_units_for(agreement.community))
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, lambda: services.save_agreement(agreement=form.instance, by=request.user,
                                                                    request=request),
                     success=_("Agreement saved."), back=f"/orgs/{agreement.community_id}/manage/")
        if done:
            return done
    return _form_page(request, {"form": form, "org": agreement.community, "title": str(agreement)})


@require_POST
def agreement_renew(request, pk):
    agreement = _agreement(request, pk)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the end date as a date."))
    else:
        try:
            services.renew_agreement(agreement=agreement, until=form.cleaned_data["ends_on"], by=request.user,
                                     request=request)
        except ValidationError as error:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, _("The agreement is renewed."))
    return redirect("orgs:manage", pk=agreement.community_id)
