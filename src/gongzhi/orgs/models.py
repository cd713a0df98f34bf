"""Organizations as a materialized-path tree, places, co-building units.

The path is a run of fixed-width base-36 segments (``STEP`` characters each):
a subtree is one indexed ``path LIKE 'prefix%'`` query, which is what scoping
and every statistic stand on.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import EncryptedCharField
from gongzhi.core.pinyin import initials
from gongzhi.core.scoping import ScopedQuerySet, ancestor_paths, role_organizations

STEP = 4
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_segment(number: int) -> str:
    chars = []
    for _i in range(STEP):
        number, rest = divmod(number, 36)
        chars.append(_DIGITS[rest])
    if number:
        raise ValueError("too many children under one organization")
    return "".join(reversed(chars))


def decode_segment(segment: str) -> int:
    return int(segment, 36)


class OrgKind(models.TextChoices):
    DISTRICT = "district", _("District party committee")
    STREET = "street", _("Street party working committee")
    TOWNSHIP = "township", _("Township party committee")
    COMMUNITY = "community", _("Community party committee")
    VILLAGE = "village", _("Village party organization")
    BRANCH = "branch", _("Party branch")
    GROUP = "group", _("Party group")
    UNIT = "unit", _("Co-building unit party organization")


#: Named sets of organization kinds: each spelled once, used by capabilities and forms.
UPPER_LEVEL = frozenset({OrgKind.DISTRICT, OrgKind.STREET, OrgKind.TOWNSHIP})
COMMUNITY_LEVEL = frozenset({OrgKind.COMMUNITY, OrgKind.VILLAGE})
BRANCH_LEVEL = frozenset({OrgKind.BRANCH})
GROUP_LEVEL = frozenset({OrgKind.GROUP})
UNIT_LEVEL = frozenset({OrgKind.UNIT})
#: Organizations that hold members directly and meet as one (a branch, or a community or
#: village organization without branches).
MEETING_LEVEL = COMMUNITY_LEVEL | BRANCH_LEVEL | GROUP_LEVEL
ALL_KINDS = frozenset(OrgKind.values)

#: The tree's grammar: the kinds each kind may be placed under (``None``: at the top).
PARENT_KINDS: dict[str, frozenset] = {
    OrgKind.DISTRICT: frozenset({None}),
    OrgKind.STREET: frozenset({None, OrgKind.DISTRICT}),
    OrgKind.TOWNSHIP: frozenset({None, OrgKind.DISTRICT}),
    OrgKind.COMMUNITY: UPPER_LEVEL,
    OrgKind.VILLAGE: UPPER_LEVEL,
    OrgKind.UNIT: UPPER_LEVEL,
    OrgKind.BRANCH: UPPER_LEVEL | COMMUNITY_LEVEL | UNIT_LEVEL,
    OrgKind.GROUP: BRANCH_LEVEL,
}


def kind_reach() -> dict[str, frozenset[str]]:
    """For each kind, the kinds its subtree may hold (itself included), from ``PARENT_KINDS``."""
    reach = {kind: {kind} for kind in OrgKind.values}
    changed = True
    while changed:
        changed = False
        for child, parents in PARENT_KINDS.items():
            for parent in parents - {None}:
                before = len(reach[parent])
                reach[parent] |= reach[child]
                changed |= len(reach[parent]) != before
    return {kind: frozenset(str(k) for k in kinds) for kind, kinds in reach.items()}


class BranchCategory(models.TextChoices):
    NONE = "", _("—")
    GRID = "grid", _("Grid branch")
    RETIREES = "retirees", _("Retirees' branch")
    INDUSTRY = "industry", _("Industry branch")
    MOBILE = "mobile", _("Mobile members' branch")
    BUILDING = "building", _("Building group")


class OrganizationQuerySet(ScopedQuerySet):
    scope_path = "path"

    def own_q(self, user):
        # Personal roles see the organization they belong to (not its subtree).
        orgs = [o.pk for o in role_organizations(user)]
        return Q(pk__in=orgs)

    def descendants_of(self, organization, include_self: bool = False):
        qs = self.filter(path__startswith=organization.path)
        return qs if include_self else qs.exclude(pk=organization.pk)

    def ancestors_of(self, organization, include_self: bool = False):
        paths = ancestor_paths(organization.path, STEP)
        if not include_self:
            paths = paths[:-1]
        return self.at_paths(paths)

    def at_paths(self, paths):
        """The organizations at ``paths`` (one's ancestors' paths), from the top down."""
        return self.filter(path__in=paths).order_by("depth")

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(name_initials__startswith=text.lower())
                           | Q(code__iexact=text))


class Organization(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_initials = models.CharField(max_length=100, editable=False, db_index=True)
    kind = models.CharField(_("type"), max_length=16, choices=OrgKind)
    category = models.CharField(_("category"), max_length=16, choices=BranchCategory, blank=True, default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("secretary"),
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    closed_on = models.DateField(_("date closed"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        if not self.path:
            self._insert_with_path(*args, **kwargs)
        else:
            super().save(*args, **kwargs)

    def _insert_with_path(self, *args, **kwargs):
        for _attempt in range(5):
            self.path, self.depth = self._next_child_path(self.parent)
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                # A concurrent insert took the same segment; compute the next free one.
                if Organization.objects.filter(code=self.code).exists():
                    raise
                self.pk = None
        raise IntegrityError("could not allocate a tree path")

    @staticmethod
    def _next_child_path(parent) -> tuple[str, int]:
        prefix = parent.path if parent else ""
        depth = (parent.depth + 1) if parent else 1
        last = (
            Organization.objects.filter(path__startswith=prefix, depth=depth)
            .order_by("-path").values_list("path", flat=True).first()
        )
        number = decode_segment(last[-STEP:]) + 1 if last else 1
        return prefix + encode_segment(number), depth

    @transaction.atomic
    def move_to(self, new_parent: Organization | None) -> None:
        """Move this organization and its whole subtree under ``new_parent``."""
        if new_parent is not None and new_parent.path.startswith(self.path):
            raise ValueError("cannot move an organization under itself")
        old_path, old_depth = self.path, self.depth
        new_path, new_depth = self._next_child_path(new_parent)
        Organization.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_depth - old_depth),
        )
        Organization.objects.filter(pk=self.pk).update(parent=new_parent)
        self.refresh_from_db()

    def is_descendant_of(self, other: Organization) -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk

    def ancestors(self):
        return Organization.objects.ancestors_of(self)

    def community(self) -> Organization | None:
        """The community or village this organization belongs to (itself if it is one)."""
        if self.kind in COMMUNITY_LEVEL:
            return self
        return (
            Organization.objects.ancestors_of(self)
            .filter(kind__in=COMMUNITY_LEVEL).last()
        )


class GridQuerySet(ScopedQuerySet):
    scope_path = "community__path"


class BuildingQuerySet(ScopedQuerySet):
    scope_path = "grid__community__path"


class HouseholdQuerySet(ScopedQuerySet):
    scope_path = "building__grid__community__path"


class Grid(models.Model):
    """A grid of a community or village, with its grid worker and the branch that covers it."""

    community = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grids",
                                  verbose_name=_("community"))
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    grid_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("grid worker"))
    branch = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="covered_grids", verbose_name=_("covering branch"))

    objects = GridQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("grid")
        verbose_name_plural = _("grids")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.community


class Building(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("grid"))
    name = models.CharField(_("name"), max_length=100)
    entrances = models.PositiveSmallIntegerField(_("entrances"), default=1)
    floors = models.PositiveSmallIntegerField(_("floors"), default=6)
    group = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="covered_buildings", verbose_name=_("party group"))

    objects = BuildingQuerySet.as_manager()

    class Meta:
        ordering = ["grid", "id"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [models.UniqueConstraint(fields=["grid", "name"], name="building_name_unique_in_grid")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.grid.community


class Household(models.Model):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="households",
                                 verbose_name=_("building"))
    entrance = models.PositiveSmallIntegerField(_("entrance"), default=1)
    floor = models.SmallIntegerField(_("floor"), default=1)
    number = models.CharField(_("door number"), max_length=16)
    resident_count = models.PositiveSmallIntegerField(pgettext_lazy("count", "residents"), default=0)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["building", "entrance", "floor", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["building", "entrance", "number"], name="household_unique_door")
        ]

    def __str__(self) -> str:
        return f"{self.building.name} {self.entrance}-{self.number}"

    @property
    def audit_organization(self):
        return self.building.grid.community


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("Government agency")
    INSTITUTION = "institution", _("Public institution")
    SCHOOL = "school", _("School")
    STATE_ENTERPRISE = "soe", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "private", _("Non-public enterprise")
    SOCIAL_ORG = "social", _("Social organization")
    PROPERTY = "property", _("Property management company")


class CoBuildingUnitQuerySet(ScopedQuerySet):
    """A unit is seen by its own users and by those who cover a community it has an agreement with."""

    scope_path = "organization__path"
    # The unit's own organization, and the communities it has an agreement with.
    also_scope_paths = ("agreements__community__path",)
    distinct_by_subquery = True


class CoBuildingUnit(models.Model):
    """An agency, school, enterprise or "two new" organization that builds together with communities."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind)
    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="unit", verbose_name=_("party organization")
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)

    objects = CoBuildingUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("co-building unit")
        verbose_name_plural = _("co-building units")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.organization


class AgreementQuerySet(ScopedQuerySet):
    scope_path = "community__path"
    also_scope_paths = ("unit__organization__path",)

    def current(self, on: date):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class CoBuildingAgreement(models.Model):
    unit = models.ForeignKey(CoBuildingUnit, on_delete=models.CASCADE, related_name="agreements",
                             verbose_name=_("co-building unit"))
    community = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="agreements",
                                  verbose_name=_("community"))
    unit_contributes = models.TextField(_("the unit contributes"), blank=True)
    community_contributes = models.TextField(_("the community contributes"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.community}"

    @property
    def audit_organization(self):
        return self.community


def population(households) -> dict:
    """Households and residents of a household queryset, in one query."""
    totals = households.aggregate(households=models.Count("id"), residents=Sum("resident_count"))
    return {"households": totals["households"] or 0, "residents": totals["residents"] or 0}

