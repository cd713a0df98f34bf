"""How many people an organization's subtree holds, for the organization pages (home figures, tree, page).

Party members and residents live in ``members``, a layer above ``orgs``. ``members`` registers its counts here
when it starts (``MembersConfig.ready()``), as ``recognition`` registers the titles into ``points``, so that
the organization pages show them without importing the layer above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeopleCounts:
    #: ``members_held(path_field)``: an annotation counting the current members whose membership is held in
    #: the subtree of the row's organization (its path at ``path_field``).
    members_held: Callable
    #: ``subtree(path)``: ``{"members", "probationary", "residents_registered"}`` of one subtree.
    subtree: Callable[[str], dict]


_COUNTS: list[PeopleCounts] = []


def register(counts: PeopleCounts) -> None:
    """The one provider of the counts (registered once; a second registration replaces the first)."""
    _COUNTS[:] = [counts]


def _provider() -> PeopleCounts:
    if not _COUNTS:
        raise LookupError("members has not registered its counts (is it in INSTALLED_APPS?)")
    return _COUNTS[0]


def members_held_count(path_field: str = "path"):
    """Annotation: current members whose membership is held in the row's subtree."""
    return _provider().members_held(path_field)


def subtree_people(path: str) -> dict:
    """Party members (and probationary ones) and registered residents of the subtree at ``path``."""
    return _provider().subtree(path)
