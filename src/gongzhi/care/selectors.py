"""Reads for the care pages and API: pairings with their next visit due computed in the database (so
the overdue list is filtered and paged there, whatever the number of pairings), and the care
registry with filters."""

from __future__ import annotations

from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from gongzhi.members.models import Member
from gongzhi.orgs.models import CoBuildingUnit

from .models import CareKind, CareTag, Pairing, Visit, by_kind, kind_of_index


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


def registry(user, residents, *, kind: str = "", grid_id: int | None = None, unpaired: bool = False):
    """Residents with care needs among ``residents`` (the user's staff scope), with the tags the user
    may see and their current carers prefetched; by community, then name. The page's rows go through
    :func:`tags_in_order` (the kind is sealed: the filter goes through its blind index)."""
    tags = CareTag.objects.visible_to(user)
    # ``residents`` is the user's staff scope: every tag of theirs is one the user may see, so "has a need" is
    # an index probe per resident (care_caretag's resident_id) instead of an IN over every visible tag.
    needs = CareTag.objects.filter(resident=OuterRef("pk"))
    rows = residents.filter(Exists(needs))
    if kind:
        rows = rows.filter(Exists(needs.filter(kind=kind)))
    if grid_id:
        rows = rows.filter(household__building__grid_id=grid_id)
    current = Pairing.objects.filter(ended_on__isnull=True)
    if unpaired:
        rows = rows.exclude(pk__in=current.values("resident"))
    # Only the columns the page shows (no sealed personal data is read, none decrypted), and the tags and
    # carers of the page's residents only (the prefetches run for the page's ids). Tags are put in order in
    # Python (``tags_in_order``) and a resident's carers by id: the models' default orders (by resident, that
    # is by grid, building and door) would join four tables to the page's rows for nothing.
    return (rows.select_related("community", "household__building__grid")
            .only("id", "name", "birth_year", "user_id", "community__id", "community__name", "community__path",
                  "community__kind", "household__id", "household__building__id", "household__building__name",
                  "household__building__grid__id", "household__building__grid__name")
            .prefetch_related(Prefetch("care_tags", queryset=tags.only("id", "resident_id", "kind").order_by(),
                                       to_attr="visible_tags"),
                              Prefetch("care_pairings", queryset=current.select_related("member", "unit").only(
                                  "id", "resident_id", "member_id", "unit_id", "member__id", "member__name",
                                  "unit__id", "unit__name").order_by("id"), to_attr="current_pairings"))
            .order_by("community__path", "name", "id"))


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
