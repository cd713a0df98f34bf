"""The titles a member holds, for the pages of the layers below recognition ("My service").

Titles are computed by ``recognition`` from the ledger and the domain apps' service records, a
layer above the ledger and the domain apps; it registers its provider here when it starts, so
that the lower layers can show titles without importing it.
"""

from __future__ import annotations

from collections.abc import Callable

_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    """Add ``provider(member, year) -> list`` of objects with a ``name`` (once)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def member_titles(member, year: int) -> list:
    """The titles ``member`` holds for ``year``, from every registered provider."""
    return [title for provider in _PROVIDERS for title in provider(member, year)]
