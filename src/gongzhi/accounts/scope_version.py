"""What an account's own records make of its scope, remembered by each process while they stay the same.

Every account row carries ``scope_version``: a random number that database triggers replace whenever something the
account's own records say about where it belongs changes (``members.scope_triggers``: its party-member record's or
resident record's account, branch or community; their organizations' paths). The request's account query reads the
number with the row (``accounts.backends.user_with_roles``, which marks the account as read so), and a value derived
from the records alone (the activities' scope of a member on a phone: ``service.models._own_paths``) is then read once
per process and number, not on every request: the QR check-in of a street-wide event asks for it twice per member.

An answer is remembered under the number its own statement read with it (the account's row is one more row of
the same query), never under the request's: it is then exactly the records' state at that number, whenever it was
read (before or after a change committed meanwhile, inside a transaction or not: a number drawn by a change rolled
back is never read again). The numbers are random, not counted, so that an account created after a database was
emptied (a test's flush) cannot meet a number another account's answer was remembered under; a database restored
from a backup holds its records' state at each number it holds. Only a write that bypasses the triggers (a
replication role, raw edits with triggers disabled) could leave an answer stale: restart the server after one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

#: The account attribute ``user_with_roles`` sets: its ``scope_version`` was read by this request.
READ_ATTR = "_gongzhi_scope_version_read"
#: The most accounts remembered by a process; past it, they are read again.
MAX_REMEMBERED = 20_000
#: The largest number (a signed 64-bit column on both databases; the triggers draw below it too).
LIMIT = 2**62

_remembered: dict[tuple[str, int], tuple[int, object]] = {}


def new_version() -> int:
    """A new account's number (the field's default)."""
    return secrets.randbelow(LIMIT)


def mark_read(user) -> None:
    """Say that the request read ``user``'s row, its ``scope_version`` with it."""
    setattr(user, READ_ATTR, True)


def remembered(user, name: str, read: Callable[[], tuple[int | None, object]]):
    """What ``read()`` answers for ``user`` (called ``name``), remembered by the process under the account's
    ``scope_version`` when the request read the account (``mark_read``). ``read()`` returns (the account's
    ``scope_version`` read by the same statement, or None for no account row; the answer), and the answer must not
    be changed by the caller (a tuple)."""
    if not getattr(user, READ_ATTR, False):
        return read()[1]
    key = (name, user.pk)
    known = _remembered.get(key)
    if known is not None and known[0] == user.scope_version:
        return known[1]
    version, value = read()
    if version is not None:
        if len(_remembered) >= MAX_REMEMBERED:
            _remembered.clear()
        _remembered[key] = (version, value)
    return value


def forget() -> None:
    """Forget every remembered answer (tests)."""
    _remembered.clear()
