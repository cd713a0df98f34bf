"""Capabilities: "where may this user act", declared once, derived everywhere.

A capability says which role kinds may do one thing, and at which kinds of organization.
A role held at an organization covers that organization's subtree (as in ``scoping``), so
a user may exercise a capability at organization ``O`` when one of his or her roles in force

* is of one of the capability's role kinds, and
* is held at ``O`` or at an ancestor of ``O``,

and ``O`` is of one of the capability's organization kinds. Each app declares its
capabilities in its ``permissions.py``::

    PUBLISH_ACTIVITY = Capability(
        "service.publish_activity", _("Publish activities"),
        roles=STAFF_ROLES | {RoleKind.BRANCH_SECRETARY}, at=COMMUNITY_LEVEL | BRANCH_LEVEL)

and both sides of every decision come from that one declaration:

* the predicate ``can(user, PUBLISH_ACTIVITY, organization)`` for views, API and templates;
* the query ``Organization.objects.where_user_can(user, PUBLISH_ACTIVITY)`` for the choices a
  form offers, and ``Model.objects.where_user_can(user, capability)`` on any ``ScopedQuerySet``
  for the records the user may act on;
* ``PUBLISH_ACTIVITY.anywhere(user)`` for menus (no query: role kinds and the kind grammar).

A superuser (development only; production refuses superusers) may do everything.

This module knows organization kinds only as strings. The organization tree's grammar
(which kinds can lie below which) is registered by ``orgs`` when it starts, so that core
stays the lowest layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q

from .scoping import active_roles, minimal_paths, subtree_q

#: Every capability declared by any app, by name (filled as the apps' permissions modules load).
REGISTRY: dict[str, Capability] = {}

#: For each organization kind, the kinds its subtree may hold (itself included). Registered by
#: ``orgs`` at start-up; until then every kind is assumed to reach every kind.
KIND_REACH: dict[str, frozenset[str]] = {}


_PATHS_ATTR = "_gongzhi_capability_paths"


class Capability:
    """One thing a user may do: ``roles`` (role kinds) at ``at`` (organization kinds; ``None``: any).

    Declaring one registers it by name; two declarations of one name must grant the same."""

    __slots__ = ("name", "label", "roles", "at", "description")

    def __init__(self, name: str, label: str = "", *, roles: Iterable[str], at: Iterable[str] | None = None,
                 description: str = "") -> None:
        self.name = name
        self.label = label or name
        self.roles = frozenset(str(r) for r in roles)
        self.at = None if at is None else frozenset(str(k) for k in at)
        self.description = description
        previous = REGISTRY.get(name)
        if previous is not None and (previous.roles != self.roles or previous.at != self.at):
            raise ValueError(f"capability {name!r} declared twice with different grants")
        REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"Capability({self.name!r})"

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Capability) and other.name == self.name

    # -- derived -----------------------------------------------------------------------------

    def kind_allowed(self, kind: str) -> bool:
        return self.at is None or kind in self.at

    def _answers(self, user, roles: list) -> dict:
        """What was derived for the user object and its list of roles: ``{name: paths, (name,): anywhere}``
        (a page asks for each row and each menu item; ``forget_roles`` starts afresh)."""
        cached = getattr(user, _PATHS_ATTR, None)
        if cached is None or cached[0] is not roles:
            cached = (roles, {})
            if getattr(user, "is_authenticated", False):
                setattr(user, _PATHS_ATTR, cached)
        return cached[1]

    def paths(self, user) -> tuple[str, ...]:
        """The subtree roots (organization paths) where the user holds one of the granted roles. Computed once
        per user object and list of roles."""
        roles = active_roles(user)
        answers = self._answers(user, roles)
        paths = answers.get(self.name)
        if paths is None:
            paths = answers[self.name] = minimal_paths(r.organization.path for r in roles if r.kind in self.roles)
        return paths

    def held_at_an_allowed_organization(self, user) -> bool:
        """Whether one of the user's roles granting this is held at an active organization of an allowed kind
        (no query: the organization itself qualifies). False does not mean "nowhere": ``where_user_can`` may
        still find an allowed organization below the role's."""
        if not getattr(user, "is_authenticated", False):
            return False
        return any(role.kind in self.roles and self.kind_allowed(role.organization.kind) and role.organization.is_active
                   for role in active_roles(user))

    def anywhere(self, user) -> bool:
        """Whether the user may do this somewhere (for menus; no database query). Decided once per user object
        and list of roles."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_superuser:
            return True
        roles = active_roles(user)
        answers = self._answers(user, roles)
        key = (self.name,)
        found = answers.get(key)
        if found is None:
            found = answers[key] = self._held_somewhere(roles)
        return found

    def _held_somewhere(self, roles: list) -> bool:
        for role in roles:
            if role.kind not in self.roles:
                continue
            if self.at is None:
                return True
            reach = KIND_REACH.get(role.organization.kind)
            if reach is None or reach & self.at:
                return True
        return False

    def q(self, user, path_field: str = "path", kind_field: str | None = "kind") -> Q:
        """A ``Q`` for rows whose organization (at ``path_field`` / ``kind_field``) the user may act on."""
        if not getattr(user, "is_authenticated", False):
            return Q(pk__in=[])
        query = Q() if user.is_superuser else subtree_q(path_field, self.paths(user))
        if self.at is not None and kind_field is not None:
            query &= Q(**{f"{kind_field}__in": sorted(self.at)})
        return query

    def reaches(self, user, path: str) -> bool:
        """Whether one of the granted roles covers the organization at ``path``, whatever its kind (creating
        an organization of a granted kind below it)."""
        if not getattr(user, "is_authenticated", False):
            return False
        return user.is_superuser or any(path.startswith(root) for root in self.paths(user))

    def at_each(self, user) -> Callable[[str, str], bool]:
        """``can(user, self, organization)`` as a function of an organization's path and kind, for the rows of a
        list read as values (no organization instances): the user's paths are found once, each row then costs
        a test of its kind and of its path's prefix."""
        if not getattr(user, "is_authenticated", False):
            return lambda path, kind: False
        roots = None if user.is_superuser else self.paths(user)
        kinds = self.at

        def allowed(path: str, kind: str) -> bool:
            return (kinds is None or kind in kinds) and (roots is None or path.startswith(roots))

        return allowed


def can(user, capability: Capability, organization) -> bool:
    """Whether ``user`` may exercise ``capability`` at ``organization`` (``None``: never)."""
    if organization is None or not capability.kind_allowed(organization.kind):
        return False
    return capability.reaches(user, organization.path)


def can_any(user, capabilities: Iterable[Capability], organization) -> bool:
    return any(can(user, capability, organization) for capability in capabilities)


def anywhere(user, *capabilities: Capability) -> bool:
    """Whether the user holds at least one of ``capabilities`` somewhere (menus, list pages)."""
    return any(capability.anywhere(user) for capability in capabilities)


def declared() -> list[Capability]:
    """Every declared capability, after importing each app's ``permissions`` module."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.conf import settings

    for app in settings.GONGZHI_APPS:
        if find_spec(f"{app}.permissions") is not None:
            import_module(f"{app}.permissions")
    return sorted(REGISTRY.values(), key=lambda c: c.name)
