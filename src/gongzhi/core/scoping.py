"""The one organization-scoping mechanism.

A role held at an organization covers that organization's subtree (Wagtail's
tree permissions). Every queryset a page or endpoint shows is filtered through
``ScopedQuerySet.visible_to(user)``; details are fetched with
``get_visible_or_404``, which answers the same 404 for "missing" and "not yours".

Personal roles (party member, resident) do not open a subtree: they reach their
own records (``own_q``) and whatever a model declares public to them (``public_q``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import ExitStack, contextmanager
from datetime import date, time

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connections, models, router
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

_CACHE_ATTR = "_gongzhi_roles"


def minimal_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop every path that lies under another path of the set."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return tuple(kept)


def ancestor_paths(path: str, step: int) -> list[str]:
    """Every prefix of a materialized path, the node itself included."""
    return [path[:i] for i in range(step, len(path) + 1, step)]


def active_roles(user) -> list:
    """The user's roles in force today, with their organizations (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from gongzhi.accounts.models import Role

    roles = list(Role.objects.active(timezone.localdate()).filter(user=user).select_related("organization"))
    setattr(user, _CACHE_ATTR, roles)
    return roles


def remember_roles(user, roles: list) -> None:
    """Set the user's roles in force today, read along with the account (``accounts.backends``)."""
    setattr(user, _CACHE_ATTR, roles)


def forget_roles(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


#: The arguments of a statement built on ``visible_to`` (``viewer_values``, ``stand_in_viewer``) that its SQL may
#: leave out: a scope reads the account's id only for one's own records, a role's organization (its path, its id)
#: only where the role's kind opens rows.
VIEWER_OPTIONAL = ("viewer_id", "viewer_paths", "viewer_organizations")


class _StandInOrganization:
    __slots__ = ("path", "kind", "is_active", "pk", "id")

    def __init__(self, pk: int, path: str, kind: str, is_active: bool):
        self.pk = self.id = pk
        self.path, self.kind, self.is_active = path, kind, is_active


class _StandInRole:
    __slots__ = ("kind", "organization", "organization_id")

    def __init__(self, kind: str, organization: _StandInOrganization):
        self.kind, self.organization, self.organization_id = kind, organization, organization.pk


def viewer_values(user) -> dict:
    """What ``visible_to`` and the capabilities read of a user, as a statement's values (``core.statements``): the
    account's id, the ids and paths of the organizations of the roles in force, and — part of the statement's
    shape — whether signed in, whether a superuser, each role's kind and organization's kind and whether that
    organization is active. A statement builds its queryset with the very ``visible_to`` / ``in_scope_of`` /
    ``where_user_can`` of every page, given ``stand_in_viewer(**values)`` for the user, and runs it with these
    values (``Statement(build, optional=VIEWER_OPTIONAL)``)."""
    from gongzhi.core.statements import Fixed

    roles = active_roles(user)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {"viewer_signed_in": signed_in, "viewer_id": user.pk if signed_in else None,
            "viewer_superuser": bool(getattr(user, "is_superuser", False)),
            "viewer_roles": Fixed(tuple((role.kind, role.organization.kind, role.organization.is_active)
                                        for role in roles)),
            "viewer_organizations": tuple(role.organization_id for role in roles),
            "viewer_paths": tuple(role.organization.path for role in roles)}


def stand_in_viewer(*, viewer_signed_in, viewer_id, viewer_superuser, viewer_roles, viewer_organizations,
                    viewer_paths, **cached):
    """The user ``viewer_values`` describes — an unsaved account with its roles in force, or an anonymous user —
    for building a statement's queryset with stand-in values. ``cached``: attributes a scope keeps on the user for
    the request (a model's ``own_q``/``public_q`` finds them there instead of asking the database)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    if not viewer_signed_in:
        return AnonymousUser()
    viewer = get_user_model()(pk=viewer_id, is_superuser=viewer_superuser)
    remember_roles(viewer, [_StandInRole(kind, _StandInOrganization(pk, path, organization_kind, is_active))
                            for (kind, organization_kind, is_active), pk, path
                            in zip(viewer_roles, viewer_organizations, viewer_paths, strict=True)])
    for name, value in cached.items():
        setattr(viewer, name, value)
    return viewer


def scope_paths(user, kinds: Iterable[str] | None = None) -> tuple[str, ...]:
    """Paths of the subtrees a user manages or supervises (roles that open a subtree)."""
    from gongzhi.accounts.models import RoleKind

    wanted = set(kinds) if kinds is not None else RoleKind.subtree_kinds()
    return minimal_paths(r.organization.path for r in active_roles(user) if r.kind in wanted)


def role_organizations(user, kinds: Iterable[str] | None = None) -> list:
    wanted = set(kinds) if kinds is not None else None
    seen, result = set(), []
    for role in active_roles(user):
        if (wanted is None or role.kind in wanted) and role.organization_id not in seen:
            seen.add(role.organization_id)
            result.append(role.organization)
    return result


def subtree_q(field: str, paths: Iterable[str]) -> Q:
    """``Q`` matching rows whose organization path (at ``field``) lies in any subtree."""
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def subtree_in_q(model, lookup: str, paths: Iterable[str], *, inline: bool = False) -> Q:
    """``subtree_q`` with the organization matched by its id: ``organization__path__startswith=p``
    becomes ``organization__in=<ids of the organizations in the subtrees>`` (``member__home_org__path``:
    ``member__home_org__in=…``). The subquery is the organization table's, a few hundred ids at most,
    hashed once; the row's own foreign key is compared with it, so an OR across relations needs no
    join to the organization table, and an index on the foreign key serves a single relation. A
    lookup that does not end in a foreign key's ``path`` stays ``subtree_q``.

    ``inline``: the organizations' ids are read first (one small query) and written into the query as a
    list, which PostgreSQL serves from the foreign key's index even inside an OR with one's own rows (a
    bitmap OR of two index scans), where the subquery is a filter over every row of the table. For a
    count: with a list's joins and order, the planner may mistake the list's size (``visible_to``)."""
    paths = tuple(paths)
    if not paths:
        return Q(pk__in=[])
    target = _path_owner(model, lookup)
    if target is None:
        return subtree_q(lookup, paths)
    organizations = target._base_manager.filter(subtree_q("path", paths)).values("pk")
    if inline:
        organizations = list(organizations.order_by().values_list("pk", flat=True))
    return Q(**{f"{lookup[: -len('__path')]}__in": organizations})


def _path_owner(model, lookup: str):
    """The model whose ``path`` a ``…__path`` lookup reaches through foreign keys of ``model`` (the
    organization), or ``None`` when the lookup is not such a chain (``path`` itself, a reverse relation)."""
    if not lookup.endswith("__path"):
        return None
    target = model
    for name in lookup[: -len("__path")].split("__"):
        try:
            field = target._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not (getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)) or field.auto_created:
            return None
        target = field.related_model
    return target


def fk_in_q(model, lookup: str, value) -> Q:
    """``Q(member__user=user)`` as ``Q(member__in=<members of the user>)``: the row's own foreign key
    against a subquery instead of a join, for ``own_q`` beside an index-served scope (an OR with a
    joined column forces the join over the whole table)."""
    head, _sep, rest = lookup.partition("__")
    field = model._meta.get_field(head)
    if not rest or not (getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)) \
            or field.auto_created:
        return Q(**{lookup: value})
    return Q(**{f"{head}__in": field.related_model._base_manager.filter(**{rest: value}).values("pk")})


def covers(user, organization, kinds: Iterable[str] | None = None) -> bool:
    """Whether one of the user's subtree roles (optionally of given kinds) covers ``organization``."""
    if organization is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(organization.path.startswith(p) for p in scope_paths(user, kinds))


class ScopedQuerySet(models.QuerySet):
    """Base QuerySet for every model shown on a page or endpoint: the one ``visible_to``.

    A QuerySet declares where its rows lie in the organization tree, and ``visible_to`` is
    derived from that declaration:

    * ``scope_path``: the lookup to the organization path that decides visibility ("path" for
      Organization itself, "organization__path" for most models); ``where_user_can`` and
      ``in_subtree`` use it;
    * ``also_scope_paths``: further lookups that open a row to the same roles (a request is seen
      where it was made and where it is handled);
    * ``scope_roles``: the role kinds whose subtree opens rows (``None``: every role that opens a
      subtree, ``RoleKind.subtree_kinds()``);
    * ``extra_scopes``: ``(lookup, role kinds)`` pairs opening rows to other roles (a co-building
      unit's administrator sees its own pairings);
    * ``own_q`` and ``public_q`` for personal roles (one's own records, what is published);
      ``public_before_own``: ``public_q`` is written before ``own_q`` in the OR (PostgreSQL tests an OR's
      terms in the order written and does not run a subquery no earlier term needed).
    """

    scope_path: str = "organization__path"
    also_scope_paths: tuple[str, ...] = ()
    scope_roles: frozenset[str] | None = None
    extra_scopes: tuple[tuple[str, frozenset[str]], ...] = ()
    needs_distinct = False
    #: Remove duplicates (from to-many scope lookups) with a ``pk IN (…)`` subquery rather than
    #: DISTINCT, for rows that are annotated or ordered by columns DISTINCT would compare.
    distinct_by_subquery = False
    public_before_own = False

    def scope_q(self, user, *, inline: bool = False) -> Q:
        """The subtree part of ``visible_to``, from the declared scope paths and roles.

        Each scope path is matched by the organization's id (``organization_id IN (SELECT id FROM
        orgs_organization WHERE path LIKE …)``, ``subtree_in_q``) rather than by a join to the
        organization table: an OR across several relations (a ledger entry's organization or its
        member's branch) then reads a handful of organization ids, and an index on the foreign key
        (with the list's order) serves it. ``inline``: see ``subtree_in_q``."""
        paths = scope_paths(user, self.scope_roles)
        query = Q(pk__in=[])
        for lookup in (self.scope_path, *self.also_scope_paths):
            query |= subtree_in_q(self.model, lookup, paths, inline=inline)
        for lookup, roles in self.extra_scopes:
            query |= subtree_in_q(self.model, lookup, scope_paths(user, roles), inline=inline)
        return query

    def visible_to(self, user, *, inline: bool = False) -> ScopedQuerySet:
        """The rows the user may see; ``inline``: the subtrees' organization ids written into the query
        (``subtree_in_q``), for counting a large table whose scope is one foreign key."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        personal = ((self.public_q(user), self.own_q(user)) if self.public_before_own
                    else (self.own_q(user), self.public_q(user)))
        query = self.scope_q(user, inline=inline) | personal[0] | personal[1]
        if self.distinct_by_subquery:
            return self.filter(pk__in=self.model._default_manager.filter(query).values("pk"))
        return self.filter(query).distinct() if self.needs_distinct else self.filter(query)

    def in_scope_of(self, user) -> ScopedQuerySet:
        """The rows the user's subtree roles open, without his or her own or public ones: the working
        lists of staff (a request queue). A superuser (development only) reaches every row."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(self.scope_q(user))

    def own_q(self, user) -> Q:
        return Q(pk__in=[])

    def public_q(self, user) -> Q:
        return Q(pk__in=[])

    def where_user_can(self, user, capability, *, inline: bool = False) -> ScopedQuerySet:
        """Rows whose organization the user may act on with ``capability`` (``core.capabilities``).

        ``inline``: the organizations' ids are read first (one small query) and written into the query as a
        list (``subtree_in_q``'s ``inline``), so that the planner knows how many rows they hold: the
        residents of a street's communities are every resident the street has, where a join to the
        organization table is estimated at a few thousand (and a subquery of them hashed, past memory)."""
        kind_field = self.scope_path[: -len("path")] + "kind" if self.scope_path.endswith("path") else None
        owner = _path_owner(self.model, self.scope_path) if inline else None
        if owner is None:
            return self.filter(capability.q(user, self.scope_path, kind_field))
        ids = owner._base_manager.filter(capability.q(user)).order_by().values_list("pk", flat=True)
        return self.filter(**{f"{self.scope_path[: -len('__path')]}__in": list(ids)})

    def in_subtree(self, organization) -> ScopedQuerySet:
        return self.filter(**{f"{self.scope_path}__startswith": organization.path})


#: Integers a database column can hold (64 bits); a larger id in a URL or a parameter exists nowhere.
_INT_RANGE = range(-(2**63), 2**63)


def _out_of_range(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        value = int(value)
    return isinstance(value, int) and value not in _INT_RANGE


def parse_id(value) -> int | None:
    """An id from a request parameter: a positive integer a database column can hold, else ``None``."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def get_visible_or_404(queryset, user, **lookup):
    """One object the user may see, or the same 404 whether it is missing or foreign (or its id
    is beyond any the database can hold).

    A queryset that reads related tables along (``select_related``: a detail page's dozen joined tables, whose
    compiling costs more than the database's answer) is first asked for the id alone — its own and the scope's
    filters, without those tables and columns —, so that a refusal costs one small query; the object the answer
    names is then read by its id.

    A model's own queryset with nothing but ``select_related`` (most detail pages), looked up by whole numbers, runs
    SQL compiled once per shape (``_DetailLookup``): the same statements, the user's values put in."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    if any(_out_of_range(value) for value in lookup.values()):
        raise Http404
    compiled = _detail_lookup(queryset, lookup)
    if compiled is not None:
        found = compiled.find(user, lookup)
        if found is not _UNCOMPILED:
            if found is None:
                raise Http404
            return found
    try:
        if not queryset.query.select_related:
            return queryset.visible_to(user).get(**lookup)
        found = list(queryset.visible_to(user).filter(**lookup).prefetch_related(None).order_by()
                     .values_list("pk", flat=True)[:2])
        if len(found) != 1:  # none, or (a lookup on no unique key) several
            raise Http404
        return queryset.get(pk=found[0])
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError) as exc:
        raise Http404 from exc
    except queryset.model.MultipleObjectsReturned as exc:  # pragma: no cover - the queryset's joins repeat a row
        raise Http404 from exc


#: What ``get_visible_or_404`` answers when it could not use the compiled statements.
_UNCOMPILED = object()
#: ``QuerySet.get`` reads at most this many rows (Django's ``MAX_GET_RESULTS``), and so does its statement.
_GET_ROWS = 21
_VIEWER_KEYS = ("viewer_signed_in", "viewer_id", "viewer_superuser", "viewer_roles", "viewer_organizations",
                "viewer_paths")


class _UnfitForStatement(Exception):
    """The scope, built for a stand-in user, read the database or wrote a date into its SQL: what it built holds
    for the stand-in only, and the lookup runs as a queryset for each user."""


class _DetailLookup:
    """``get_visible_or_404``'s statements for one model's queryset, its ``select_related`` tables and the lookup's
    names (``core.statements``): built with the very ``visible_to`` of a stand-in user (``stand_in_viewer``) and run
    with each user's ``viewer_values``, so one user's statement holds no other user's value. A shape (the user's
    role kinds, superuser or not, signed in or not) whose scope reads the database while it is built (one's own
    records, public paths) or puts a date into the SQL (today's team memberships) is never compiled: such a user's
    lookup is the queryset's, as before."""

    def __init__(self, queryset):
        from .statements import Statement

        self._queryset = queryset
        self._unfit: set[tuple] = set()
        joined = bool(queryset.query.select_related)
        # The id alone first when related tables come along (a refusal reads no joins), as the queryset does.
        self._scoped = Statement(self._build_ids if joined else self._build_object, optional=VIEWER_OPTIONAL)
        self._by_id = Statement(lambda pk: queryset.filter(pk=pk).order_by()[:_GET_ROWS]) if joined else None

    def _scope(self, values: dict):
        viewer = {name: values.pop(name) for name in _VIEWER_KEYS}
        with _refusing_queries():
            return self._queryset.visible_to(stand_in_viewer(**viewer)).filter(**values)

    def _build_ids(self, **values):
        return _without_dates(self._scope(values).prefetch_related(None).order_by().values_list("pk")[:2])

    def _build_object(self, **values):
        return _without_dates(self._scope(values).order_by()[:_GET_ROWS])

    def find(self, user, lookup: dict):
        """The one object, None when there is none (or several), ``_UNCOMPILED`` for a shape unfit for a statement."""
        from .statements import StatementError, loaded_alone

        viewer = viewer_values(user)
        shape = (viewer["viewer_signed_in"], viewer["viewer_superuser"], viewer["viewer_roles"])
        if shape in self._unfit:
            return _UNCOMPILED
        try:
            if self._by_id is None:
                found = self._scoped.instances(**lookup, **viewer)
            else:
                ids = self._scoped.rows(**lookup, **viewer)
                found = self._by_id.instances(pk=ids[0][0]) if len(ids) == 1 else []
        except (_UnfitForStatement, StatementError):
            self._unfit.add(shape)
            return _UNCOMPILED
        if len(found) != 1:
            return None
        loaded_alone(found[0])
        return found[0]


#: ``_DetailLookup`` per (queryset class, ``select_related`` tables, lookup names); None: unfit (a lookup name a
#: viewer's value has).
_DETAIL_LOOKUPS: dict[tuple, _DetailLookup | None] = {}
_MAX_DETAIL_LOOKUPS = 512


def _detail_lookup(queryset, lookup: dict) -> _DetailLookup | None:
    """The compiled lookup for a queryset that is its model's default manager's unchanged but for ``select_related``
    (no filter, annotation, ordering, deferred field, limit, database or prefetch of its own: anything the key would
    not tell apart), looked up by whole numbers only; None for any other, which runs as a queryset."""
    if not lookup or any(type(value) is not int for value in lookup.values()):
        return None
    related = _related_key(queryset.query.select_related)
    if related is None or not _plain(queryset):
        return None
    key = (type(queryset), queryset.model, related, tuple(sorted(lookup)))
    try:
        return _DETAIL_LOOKUPS[key]
    except KeyError:
        pass
    if len(_DETAIL_LOOKUPS) >= _MAX_DETAIL_LOOKUPS:
        _DETAIL_LOOKUPS.clear()
    fit = not set(lookup) & set(_VIEWER_KEYS)
    found = _DETAIL_LOOKUPS[key] = _DetailLookup(queryset._chain()) if fit else None
    return found


def _related_key(select_related) -> tuple | bool | None:
    """``Query.select_related`` (False, True or a tree of names) as a hashable key; None for anything else."""
    if isinstance(select_related, bool):
        return select_related
    if not isinstance(select_related, dict):
        return None
    items = []
    for name, below in sorted(select_related.items()):
        below_key = _related_key(below)
        if below_key is None:
            return None
        items.append((name, below_key))
    return tuple(items)


#: The class, the state and the query's state of a queryset as the default manager makes it, per model (with
#: select_related apart); None where the default manager filters.
_PLAIN: dict[type, tuple[type, dict, dict] | None] = {}


#: What a query keeps on itself that a clone resets and no SQL reads.
_QUERY_CACHES = ("select_related", "_annotation_select_cache", "_extra_select_cache")


def _state(queryset) -> tuple[dict, dict]:
    own = {name: value for name, value in queryset.__dict__.items() if name not in ("_query", "model")}
    query = {name: value for name, value in queryset.query.__dict__.items()
             if name not in _QUERY_CACHES and not (name == "filter_is_sticky" and value is False)}
    return own, query


def _plain(queryset) -> bool:
    """Whether ``queryset`` is ``Model._default_manager.all()`` with at most ``select_related``: every attribute of
    the queryset and of its query equal to a fresh one's, its where clause empty."""
    model = queryset.model
    if model not in _PLAIN:
        fresh = model._default_manager.all()
        _PLAIN[model] = None if fresh.query.where else (type(fresh), *_state(fresh))
    plain = _PLAIN[model]
    if plain is None or queryset.query.where or type(queryset) is not plain[0]:
        return False
    try:
        return _state(queryset) == plain[1:]
    except Exception:  # noqa: BLE001 - a value that cannot be compared is not the fresh one's
        return False


@contextmanager
def _refusing_queries():
    """Refuse (and note) any query while a stand-in user's scope is built: what the scope read would be the
    stand-in's, not a user's. A refusal the scope caught itself still makes the build unfit."""
    read = []

    def refuse(execute, sql, params, many, context):
        read.append(sql)
        raise _UnfitForStatement(sql)

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(refuse))
        yield
    if read:
        raise _UnfitForStatement("the scope read the database")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _without_dates(queryset):
    """``queryset``, refused when its SQL holds a date or time of its own (today's, say; SQLite's as text): it would
    stay in the statement past the day it was built for. The lookup's values and the viewer's are whole numbers and
    texts that are no dates."""
    try:
        _sql, params = queryset.query.get_compiler(router.db_for_read(queryset.model)).as_sql()
    except EmptyResultSet:
        return queryset
    for param in params:
        if isinstance(param, (date, time)) or (isinstance(param, str) and _ISO_DAY.match(param)):
            raise _UnfitForStatement(f"a date in the SQL: {param!r}")
    return queryset


def get_visible_by_statement_or_404(statement, user, *, viewer: dict | None = None, **lookup):
    """``get_visible_or_404`` for a statement (``core.statements``) whose queryset is built with
    ``stand_in_viewer(**viewer)`` and filtered by ``lookup``'s values, limited to two rows: the one object the user
    may see, or the same 404 whether it is missing or foreign (or its id beyond any the database can hold).
    ``viewer``: the user's values when the scope needs more than ``viewer_values`` (e.g. ``service.models.
    viewer_scope``)."""
    if not getattr(user, "is_authenticated", False) or any(_out_of_range(value) for value in lookup.values()):
        raise Http404
    found = statement.instances(**lookup, **(viewer_values(user) if viewer is None else viewer))
    if len(found) != 1:
        raise Http404
    return found[0]


def today() -> date:
    return timezone.localdate()
