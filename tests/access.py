"""Declarations for the access matrix (tests/test_access_matrix.py).

Every app lists, in ``tests/<app>/access.py``, a ``PageCase`` for each of its URL
names and an ``ApiCase`` for each API operation: the arguments for an object of the
cast's own street ("own") and of the foreign street ("foreign"), and which personas
may open it. Personas not allowed get 404 (the same answer as "does not exist");
anonymous visitors are sent to the login page (pages) or get 401 (API) unless the
case is public. A foreign object answers 404 to every persona.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_LOGGED_IN = frozenset({
    "street_admin", "community_secretary", "community_staff", "branch_secretary_a", "branch_secretary_b",
    "member", "resident", "supervisor", "unit_admin", "treasurer_a", "security_admin", "auditor",
})
#: Roles with one duty that opens none of the records of the first apps: the dues and funds clerk
#: (dues and funds only) and, for MLPS separation of duties, the security administrator (accounts
#: and roles) and the auditor (the audit log).
OTHER_DUTIES = frozenset({"treasurer_a", "security_admin", "auditor"})
#: Everyone who takes part in the platform's records: all but ``OTHER_DUTIES``.
DOMAIN_ROLES = ALL_LOGGED_IN - OTHER_DUTIES
#: Roles that open a subtree to read it (staff, secretaries, supervisor, co-building unit).
SUBTREE = DOMAIN_ROLES - {"member", "resident"}
STAFF = frozenset({"street_admin", "community_secretary", "community_staff"})
COMMUNITY_SCOPE = STAFF | {"supervisor"}
EVERYONE = ALL_LOGGED_IN | {"anonymous"}


def no_args(world) -> dict:
    return {}


@dataclass(frozen=True)
class PageCase:
    name: str
    own: Callable[[object], dict] = no_args
    foreign: Callable[[object], dict] | None = None
    allowed: frozenset[str] = ALL_LOGGED_IN
    method: str = "get"
    data: Callable[[object], dict] | None = None
    ok: frozenset[int] = field(default_factory=lambda: frozenset({200}))
    public: bool = False
    query: str = ""


@dataclass(frozen=True)
class ApiCase:
    method: str
    path: str  # as in the OpenAPI schema, e.g. "/api/orgs/{org_id}"
    own: Callable[[object], dict] = no_args
    foreign: Callable[[object], dict] | None = None
    allowed: frozenset[str] = ALL_LOGGED_IN
    data: Callable[[object], dict] | None = None
    ok: frozenset[int] = field(default_factory=lambda: frozenset({200}))
    public: bool = False
