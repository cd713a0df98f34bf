"""Reads for the care pages and API: pairings with their next visit due computed in the database (so
the overdue list is filtered and paged there, whatever the number of pairings), and the care
registry with filters."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from gongzhi.core.scoping import VIEWER_OPTIONAL, stand_in_viewer, viewer_values
from gongzhi.core.statements import Statement
from gongzhi.members.models import Member, Resident
from gongzhi.orgs.models import CoBuildingUnit

from .models import KIND_ORDER, CareKind, CareTag, Pairing, Visit, by_kind, kind_of_index


class AddDays(Func):
    """``date + days`` for a date expression and an integer expression, on SQLite and PostgreSQL."""

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        (day, day_params), (days, days_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"date({day}, '+' || {days} || ' days')", [*day_params, *days_params]


def active_pairings(user):
    """The user's visible current pairings with ``last_visit`` and ``due`` (the next visit), most
    urgent first."""
    # The last visit is one probe of the (pairing, day) index per pairing, not a GROUP BY of every
    # visit joined to every pairing with its member and resident.
    last = Visit.objects.filter(pairing=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    # The carers' names are read for the rows of the page only (two lookups by id): joined here, every
    # member of the scope would be read before the pairings are sorted by their next visit.
    return (Pairing.objects.visible_to(user).filter(ended_on__isnull=True)
            .select_related("resident")
            .prefetch_related(Prefetch("member", queryset=Member.objects.only("id", "name")),
                              Prefetch("unit", queryset=CoBuildingUnit.objects.only("id", "name")))
            .annotate(last_visit=Subquery(last, output_field=DateField()))
            .annotate(due=AddDays(Coalesce("last_visit", "started_on"), F("frequency_days")))
            .order_by("due", "resident__name", "id"))


def overdue(pairings, today):
    return pairings.filter(due__lt=today)


def pairing_counts(pairings, today) -> dict:
    """How many of ``pairings`` (``active_pairings``) there are and how many are overdue: one pass, the
    last visit looked up once per pairing."""
    return pairings.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))


def tags_in_order(residents) -> None:
    """Put each resident's prefetched ``visible_tags`` in the order of their kind (sealed: sorted in Python,
    for the rows of one page)."""
    for resident in residents:
        resident.visible_tags = by_kind(resident.visible_tags)


class RegistryRow(NamedTuple):
    """One resident of the care registry's page, read as values: the columns the page shows (no sealed personal
    data), the needs the user may see and the current carers' names, without a model instance per resident,
    community, household, building, grid, tag, pairing, member and unit."""

    id: int
    name: str
    birth_year: int
    user_id: int | None
    community_id: int
    community_name: str
    household_id: int | None
    building_name: str | None
    grid_name: str | None
    kinds: list[str]  # the needs' codes, in the kinds' order (``by_kind``)
    carers: list[str]  # the current pairings' carers (member or unit), by pairing

    model = Resident  # the record a row stands for (the access matrix and the audit log look it up)

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.name


REGISTRY_FIELDS = ("id", "name", "birth_year", "user_id", "community_id", "community__name", "household_id",
                   "household__building__name", "household__building__grid__name")


def registry(user, residents, *, kind: str = "", grid_id: int | None = None, unpaired: bool = False):
    """Residents with care needs among ``residents`` (the user's staff scope), by community, then name, as
    ``REGISTRY_FIELDS`` values; a page of them becomes rows through :func:`registry_rows` (the kind is sealed:
    the filter goes through its blind index)."""
    # ``residents`` is the user's staff scope: every tag of theirs is one the user may see, so "has a need" is
    # an index probe per resident (care_caretag's resident_id) instead of an IN over every visible tag.
    needs = CareTag.objects.filter(resident=OuterRef("pk"))
    rows = residents.filter(Exists(needs))
    if kind:
        rows = rows.filter(Exists(needs.filter(kind=kind)))
    if grid_id:
        rows = rows.filter(household__building__grid_id=grid_id)
    if unpaired:
        rows = rows.exclude(pk__in=Pairing.objects.filter(ended_on__isnull=True).values("resident"))
    # Only the columns the page shows: no sealed personal data is read, none decrypted.
    return rows.values_list(*REGISTRY_FIELDS).order_by("community__path", "name", "id")


#: A registry page's needs (the user's visible tags) and current carers, compiled once per page length
#: (core.statements): built with the very ``visible_to`` of the tags, for a stand-in viewer.
_PAGE_TAGS = Statement(lambda ids, **viewer: CareTag.objects.visible_to(stand_in_viewer(**viewer))
                       .filter(resident_id__in=ids).order_by().values_list("resident_id", "id", "kind"),
                       optional=VIEWER_OPTIONAL)
_PAGE_CARERS = Statement(lambda ids: Pairing.objects.filter(ended_on__isnull=True, resident_id__in=ids).order_by("id")
                         .values_list("resident_id", "member_id", "member__name", "unit__name"))


def registry_rows(user, page) -> list[RegistryRow]:
    """The rows of one page of :func:`registry`, with the needs the user may see (in the kinds' order) and the
    current carers' names of the page's residents only: two more queries. The models' default orders (by
    resident, that is by grid, building and door) would join four tables to the page's rows for nothing: tags
    are put in order in Python, a resident's carers by pairing."""
    found = list(page)
    ids = [row[0] for row in found]
    kinds: dict[int, list] = {pk: [] for pk in ids}
    if not ids:
        return []
    for resident_id, pk, code in _PAGE_TAGS.rows(ids=tuple(ids), **viewer_values(user)):
        kinds[resident_id].append((KIND_ORDER.get(code, len(KIND_ORDER)), pk, code))
    carers: dict[int, list] = {pk: [] for pk in ids}
    for resident_id, member_id, member_name, unit_name in _PAGE_CARERS.rows(ids=tuple(ids)):
        carers[resident_id].append(member_name if member_id else unit_name)
    return [RegistryRow(*row, [code for _rank, _pk, code in sorted(kinds[row[0]])], carers[row[0]])
            for row in found]


def needs(residents) -> tuple[list[tuple[str, int]], int]:
    """How many of ``residents`` (the user's staff scope) have each care need, the needs with none left out,
    and how many have any (the registry's length unfiltered): one pass over their tags, counted by the sealed
    kind's blind index (nothing decrypted). Every tag of a resident of the staff scope is one the user may see
    (``CareTagQuerySet``: the same staff roles, the resident's community), so the tags are those of
    ``residents``, with no second scope beside it."""
    indexes: dict[str, list[str]] = {code: [] for code in CareKind.values}
    for index, code in kind_of_index().items():
        indexes[code].append(index)
    found = CareTag.objects.filter(resident__in=residents).order_by().aggregate(
        residents=Count("resident_id", distinct=True),
        **{code: Count("pk", filter=Q(kind_bidx__in=indexes[code])) for code in CareKind.values})
    return [(label, found[code]) for code, label in CareKind.choices if found[code]], found["residents"]


def _needs_of(community_ids, **indexes):
    return (CareTag.objects.filter(resident__in=Resident.objects.filter(community__in=community_ids)).order_by()
            .annotate(_one=Value(1)).values("_one")
            .annotate(residents=Count("resident_id", distinct=True),
                      **{code: Count("pk", filter=Q(kind_bidx__in=indexes[code])) for code in CareKind.values})
            .values_list("residents", *CareKind.values))


#: ``needs`` of the residents of a list of communities, compiled once per number of communities (core.statements).
_NEEDS = Statement(_needs_of)


def needs_in(community_ids) -> tuple[list[tuple[str, int]], int]:
    """``needs`` of the residents of the communities ``community_ids`` (the staff scope's, as ``where_user_can``
    gives them): the same one pass over their tags, its SQL compiled once (building the eight counts cost several
    times what the database spends answering them on a street's page)."""
    if not community_ids:
        return [], 0
    indexes: dict[str, list[str]] = {code: [] for code in CareKind.values}
    for index, code in kind_of_index().items():
        indexes[code].append(index)
    found = _NEEDS.first(community_ids=tuple(community_ids), **{code: tuple(v) for code, v in indexes.items()})
    residents, *counts = found or (0, *[0] * len(CareKind.values))
    by_code = dict(zip(CareKind.values, counts, strict=True))
    return [(label, by_code[code]) for code, label in CareKind.choices if by_code[code]], residents
