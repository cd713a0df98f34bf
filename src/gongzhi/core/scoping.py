"""The one organization-scoping mechanism.

A role held at an organization covers that organization's subtree (Wagtail's
tree permissions). Every queryset a page or endpoint shows is filtered through
``ScopedQuerySet.visible_to(user)``; details are fetched with
``get_visible_or_404``, which answers the same 404 for "missing" and "not yours".

Personal roles (party member, resident) do not open a subtree: they reach their
own records (``own_q``) and whatever a model declares public to them (``public_q``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
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
    * ``own_q`` and ``public_q`` for personal roles (one's own records, what is published).
    """

    scope_path: str = "organization__path"
    also_scope_paths: tuple[str, ...] = ()
    scope_roles: frozenset[str] | None = None
    extra_scopes: tuple[tuple[str, frozenset[str]], ...] = ()
    needs_distinct = False
    #: Remove duplicates (from to-many scope lookups) with a ``pk IN (…)`` subquery rather than
    #: DISTINCT, for rows that are annotated or ordered by columns DISTINCT would compare.
    distinct_by_subquery = False

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
        query = self.scope_q(user, inline=inline) | self.own_q(user) | self.public_q(user)
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
    names is then read by its id."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    if any(_out_of_range(value) for value in lookup.values()):
        raise Http404
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
