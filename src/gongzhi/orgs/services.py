"""Every write to organizations and places: one function per action, keyword-only, one transaction, the
tree's grammar and the field's rules checked, the audit row written in the same transaction.

Views, the API, ``gongzhi setup`` and the set-up import all call these functions."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit

from .models import (
    BRANCH_LEVEL,
    PARENT_KINDS,
    Building,
    CoBuildingAgreement,
    CoBuildingUnit,
    Grid,
    Household,
    Organization,
    OrgKind,
)

#: DOMAIN.md: at least 3 full members to form a branch.
BRANCH_MIN_FULL_MEMBERS = 3


def _check_code(code: str, *, model=Organization, exclude_pk=None) -> None:
    if not code:
        raise ValidationError({"code": _("Give a code.")})
    taken = model.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"code": _("The code %(code)s is already used.") % {"code": code}})


def check_parent(kind: str, parent: Organization | None) -> None:
    """Refuse a parent of the wrong kind (the tree's grammar) or a closed one."""
    allowed = PARENT_KINDS.get(kind, frozenset())
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        labels = {str(k): str(OrgKind(k).label) for k in OrgKind.values}
        raise ValidationError({"parent": _("A %(kind)s cannot be placed under a %(parent)s.") % {
            "kind": labels[kind], "parent": labels[parent_kind] if parent_kind else _("nothing (the top)")}})
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("%(parent)s is closed.") % {"parent": parent.name}})


def branch_size_warning(organization: Organization) -> str:
    """A warning when a branch holds fewer than 3 full members (never a refusal: a branch is formed first and
    its members transferred in after)."""
    if organization.kind not in BRANCH_LEVEL or not organization.is_active:
        return ""
    member_model = apps.get_model("members", "Member")
    full = member_model.objects.current().held_in(organization).filter(status="full").count()
    if full >= BRANCH_MIN_FULL_MEMBERS:
        return ""
    return _("%(org)s has %(n)s full members: a party branch needs at least 3. Transfer members into it, or "
             "attach it to a community as a group of a larger branch.") % {"org": organization.name, "n": full}


@transaction.atomic
def create_organization(*, parent: Organization | None, kind: str, code: str, name: str, category: str = "",
                        established_on: date | None = None, address: str = "", by, request=None) -> Organization:
    code, name = (code or "").strip(), (name or "").strip()
    if kind not in OrgKind.values:
        raise ValidationError({"kind": _("Choose a type of organization.")})
    check_parent(kind, parent)
    _check_code(code)
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    org = Organization(parent=parent, kind=kind, code=code, name=name, category=category or "",
                       established_on=established_on, address=address)
    org.full_clean(exclude=["path", "depth", "name_initials"])
    org.save()
    audit.record(actor=by, action="orgs.organization.create", obj=org, request=request,
                 detail={"code": code, "kind": kind, "parent": parent.code if parent else ""})
    return org


@transaction.atomic
def update_organization(*, organization: Organization, name: str, category: str = "",
                        established_on: date | None = None, address: str = "", by, request=None,
                        locked: bool = False) -> Organization:
    """Rename an organization (and set its category, founding date and office address)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give a name.")})
    org = organization if locked else Organization.objects.select_for_update().get(pk=organization.pk)
    before = org.name
    org.name, org.category, org.established_on, org.address = name, category or "", established_on, address
    org.full_clean(exclude=["path", "depth", "name_initials", "parent", "secretary"])
    org.save()
    audit.record(actor=by, action="orgs.organization.update", obj=org, request=request,
                 detail={"name_before": before, "name": name})
    return org


@transaction.atomic
def set_secretary(*, organization: Organization, secretary, by, request=None, locked: bool = False) -> Organization:
    org = organization if locked else Organization.objects.select_for_update().get(pk=organization.pk)
    org.secretary = secretary
    org.save(update_fields=["secretary"])
    audit.record(actor=by, action="orgs.organization.set_secretary", obj=org, request=request,
                 subject_user=secretary, detail={"secretary": str(secretary or "")})
    return org


@transaction.atomic
def move_organization(*, organization: Organization, new_parent: Organization, by, request=None) -> Organization:
    """Move an organization with its whole subtree under ``new_parent``; roles held inside it move with it
    (they are held at organizations, and scoping reads the paths)."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if new_parent is None:
        raise ValidationError({"parent": _("Choose the new parent.")})
    new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("%(org)s cannot be moved under itself or one of its own "
                                           "sub-organizations.") % {"org": org.name}})
    check_parent(org.kind, new_parent)
    if new_parent.pk == org.parent_id:
        raise ValidationError({"parent": _("%(org)s is already under %(parent)s.") % {
            "org": org.name, "parent": new_parent.name}})
    before = org.parent
    org.move_to(new_parent)
    audit.record(actor=by, action="orgs.organization.move", obj=org, request=request,
                 detail={"from": before.code if before else "", "to": new_parent.code})
    return org


@transaction.atomic
def close_organization(*, organization: Organization, on: date, by, request=None) -> Organization:
    """Dissolve an organization on a date. Its record, history and sub-records stay; it must hold no
    members (transfer them first) and no open sub-organization; roles held at it end on that date."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if not org.is_active:
        raise ValidationError(_("%(org)s is already closed.") % {"org": org.name})
    if org.parent_id is None:
        raise ValidationError(_("The top organization cannot be closed."))
    if on > timezone.localdate():
        raise ValidationError({"closed_on": _("A closing date cannot be in the future.")})
    if org.established_on and on < org.established_on:
        raise ValidationError({"closed_on": _("The closing date is before the date the organization was "
                                              "established.")})
    member_model = apps.get_model("members", "Member")
    held = member_model.objects.current().held_in(org).count()
    if held:
        raise ValidationError(_("%(org)s still holds %(n)s members: transfer them to another organization "
                                "first.") % {"org": org.name, "n": held})
    if Organization.objects.descendants_of(org).filter(is_active=True).exists():
        raise ValidationError(_("Close or move the sub-organizations of %(org)s first.") % {"org": org.name})
    org.is_active, org.closed_on = False, on
    org.save(update_fields=["is_active", "closed_on"])
    from gongzhi.accounts.services import end_roles_at

    ended = end_roles_at(organization=org, on=on, by=by, request=request)
    audit.record(actor=by, action="orgs.organization.close", obj=org, request=request,
                 detail={"closed_on": on.isoformat(), "roles_ended": ended})
    return org


# --- places ----------------------------------------------------------------------------------------------


def _save_place(instance, *, action: tuple[str, str], by, request, detail: dict | None = None):
    """Save a grid, a building or a household; ``action``: the audit codes of creating and of updating it."""
    creating = instance.pk is None
    instance.full_clean()
    instance.save()
    audit.record(actor=by, action=action[0] if creating else action[1], obj=instance, request=request,
                 detail=detail or {})
    return instance


@transaction.atomic
def save_grid(*, grid: Grid, by, request=None) -> Grid:
    if grid.community.kind not in (OrgKind.COMMUNITY, OrgKind.VILLAGE):
        raise ValidationError({"community": _("A grid belongs to a community or a village.")})
    _check_code(grid.code, model=Grid, exclude_pk=grid.pk)
    if grid.branch_id and not grid.branch.path.startswith(grid.community.path):
        raise ValidationError({"branch": _("The covering branch must belong to the grid's community.")})
    return _save_place(grid, action=("orgs.grid.create", "orgs.grid.update"), by=by, request=request,
                       detail={"code": grid.code})


@transaction.atomic
def save_building(*, building: Building, by, request=None) -> Building:
    if building.group_id and not building.group.path.startswith(building.grid.community.path):
        raise ValidationError({"group": _("The party group must belong to the building's community.")})
    taken = Building.objects.filter(grid=building.grid, name=building.name).exclude(pk=building.pk)
    if taken.exists():
        raise ValidationError({"name": _("%(grid)s already has a building named %(name)s.") % {
            "grid": building.grid.name, "name": building.name}})
    return _save_place(building, action=("orgs.building.create", "orgs.building.update"), by=by, request=request)


@transaction.atomic
def save_household(*, household: Household, by, request=None) -> Household:
    building = household.building
    if not 1 <= household.entrance <= building.entrances:
        raise ValidationError({"entrance": _("%(building)s has entrances 1 to %(n)s.") % {
            "building": building.name, "n": building.entrances}})
    if not -5 <= household.floor <= building.floors or household.floor == 0:
        raise ValidationError({"floor": _("%(building)s has floors 1 to %(n)s (basements -1 to -5).") % {
            "building": building.name, "n": building.floors}})
    taken = Household.objects.filter(building=building, entrance=household.entrance,
                                     number=household.number).exclude(pk=household.pk)
    if taken.exists():
        raise ValidationError({"number": _("Door %(number)s of entrance %(entrance)s already exists.") % {
            "number": household.number, "entrance": household.entrance}})
    return _save_place(household, action=("orgs.household.create", "orgs.household.update"), by=by, request=request)


# --- co-building units and agreements --------------------------------------------------------------------


@transaction.atomic
def create_unit(*, parent: Organization, code: str, name: str, kind: str, org_name: str = "",
                contact_name: str = "", contact_phone: str = "", by, request=None) -> CoBuildingUnit:
    """A co-building unit with its party organization (placed under the street, township or district)."""
    org = create_organization(parent=parent, kind=OrgKind.UNIT, code=code,
                              name=(org_name or "").strip() or _("%(unit)s party organization") % {"unit": name},
                              by=by, request=request)
    unit = CoBuildingUnit(organization=org, name=(name or "").strip(), kind=kind, contact_name=contact_name,
                          contact_phone=contact_phone)
    unit.full_clean()
    unit.save()
    audit.record(actor=by, action="orgs.unit.create", obj=unit, request=request)
    return unit


@transaction.atomic
def update_unit(*, unit: CoBuildingUnit, by, request=None) -> CoBuildingUnit:
    unit.full_clean()
    unit.save()
    audit.record(actor=by, action="orgs.unit.update", obj=unit, request=request)
    return unit


@transaction.atomic
def save_agreement(*, agreement: CoBuildingAgreement, by, request=None) -> CoBuildingAgreement:
    if agreement.community.kind not in (OrgKind.COMMUNITY, OrgKind.VILLAGE):
        raise ValidationError({"community": _("An agreement is made with a community or a village.")})
    if agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("The agreement cannot end before it starts.")})
    creating = agreement.pk is None
    agreement.full_clean()
    agreement.save()
    audit.record(actor=by, action=f"orgs.agreement.{'create' if creating else 'update'}", obj=agreement,
                 organization=agreement.community, request=request)
    return agreement


@transaction.atomic
def renew_agreement(*, agreement: CoBuildingAgreement, until: date | None, by, request=None) -> CoBuildingAgreement:
    """A new agreement with the same parties and contributions, from the day after the old one ends."""
    from datetime import timedelta

    if agreement.ends_on is None:
        raise ValidationError(_("This agreement has no end date: there is nothing to renew."))
    starts = agreement.ends_on + timedelta(days=1)
    if until is not None and until < starts:
        raise ValidationError({"ends_on": _("The renewed agreement cannot end before %(day)s.") % {
            "day": starts.isoformat()}})
    renewed = CoBuildingAgreement(unit=agreement.unit, community=agreement.community,
                                  unit_contributes=agreement.unit_contributes,
                                  community_contributes=agreement.community_contributes, starts_on=starts,
                                  ends_on=until)
    renewed.full_clean()
    renewed.save()
    audit.record(actor=by, action="orgs.agreement.renew", obj=renewed, organization=agreement.community,
                 request=request, detail={"renews": agreement.pk})
    return renewed


# --- bulk set-up from spreadsheets ----------------------------------------------------------------------


@transaction.atomic
def import_setup(*, plan, by, request=None, source: str = "") -> dict:
    """Write a checked set-up plan (``orgs.setup_import``): all of it or, on any refusal, nothing."""
    from .setup_import import rows_of

    if not plan.ok:
        raise ValidationError(_("The file has problems: nothing was imported."))
    if plan.kind == "tree":
        rows = plan.new + plan.updated + plan.unchanged
        # Lock what the plan read, in one query (the checks ran before the lock; a change since is refused
        # by the constraints or the grammar checks again in create_organization).
        codes = {row["code"] for row in rows} | {row["parent"] for row in rows}
        created: dict[str, Organization] = {
            org.code: org for org in Organization.objects.select_for_update().filter(code__in=codes).order_by("pk")}
        for row in plan.updated + plan.unchanged:
            row["org"] = created[row["code"]]
        for row in plan.new:
            parent = created[row["parent"]]
            org = create_organization(parent=parent, kind=row["kind"], code=row["code"], name=row["name"],
                                      category=row["category"] if row["kind"] in BRANCH_LEVEL else "", by=by,
                                      request=request)
            created[org.code] = org
            row["org"] = org
        for row in plan.updated:
            org = row["org"]
            update_organization(organization=org, name=row["name"], category=row["category"] or org.category,
                                established_on=org.established_on, address=org.address, by=by, request=request,
                                locked=True)
        for row in rows:
            account = row.get("secretary_user")
            if account is not None and row["org"].secretary_id != account.pk:
                set_secretary(organization=row["org"], secretary=account, by=by, request=request, locked=True)
    else:
        grids: dict[str, Grid] = {}
        for row in rows_of(plan, "grid"):
            grid = row["grid"] or Grid(community=row["community"], code=row["code"])
            grid.name = row["name"]
            grids[row["code"]] = save_grid(grid=grid, by=by, request=request)
        building_rows, household_rows = rows_of(plan, "building"), rows_of(plan, "household")
        wanted = {row["grid_code"] for row in building_rows} | {row["building_key"][0] for row in household_rows}
        grids.update({g.code: g for g in Grid.objects.filter(code__in=wanted - set(grids))
                      .select_related("community")})
        buildings: dict[tuple, Building] = {}
        for row in building_rows:
            grid = grids[row["grid_code"]]
            building = row["building"] or Building(grid=grid, name=row["name"])
            building.entrances, building.floors = row["entrances"], row["floors"]
            buildings[(row["grid_code"], row["name"])] = save_building(building=building, by=by, request=request)
        missing = {key for key in (row["building_key"] for row in household_rows) if key not in buildings}
        for building in Building.objects.filter(grid__code__in={code for code, _name in missing}).select_related(
                "grid__community"):
            buildings.setdefault((building.grid.code, building.name), building)
        # Households are the many rows of a street (tens of thousands): checked by the plan (entrance, floor,
        # door once), written in bulk with one audit row each, the unique door constraint as the last guard.
        created, changed = [], []
        for row in household_rows:
            building = buildings[row["building_key"]]
            household = row["household"] or Household(building=building, entrance=row["entrance"],
                                                      number=row["number"])
            household.building = building
            household.floor, household.resident_count = row["floor"], row["resident_count"]
            (changed if household.pk else created).append(household)
        Household.objects.bulk_create(created, batch_size=500)
        Household.objects.bulk_update(changed, ["floor", "resident_count"], batch_size=500)
        audit.record_many(actor=by, action="orgs.household.create", objs=created, request=request)
        audit.record_many(actor=by, action="orgs.household.update", objs=changed, request=request)
    summary = plan.summary()
    audit.record(actor=by, action=f"orgs.import.{plan.kind}", request=request,
                 detail={**summary, "file": source[:100]})
    return summary
