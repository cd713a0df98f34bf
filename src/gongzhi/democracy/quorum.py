"""Quorum and majority, counted in whole people (no fractions, no floats).

DOMAIN.md: a branch general meeting needs more than half of the members entitled to vote present; a
resolution passes with more than half of those *entitled* (not of those present). Some rules ask two thirds
present (the party members' meeting of 四议两公开). These helpers are the only place the arithmetic lives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class QuorumRule(models.TextChoices):
    HALF = "half", gettext_lazy("More than half of those entitled present")
    TWO_THIRDS = "two_thirds", gettext_lazy("At least two thirds of those entitled present")


def more_than_half(count: int, of: int) -> bool:
    """``count`` is more than half of ``of`` (16 of 31, 16 of 30, never 15 of 30)."""
    return of > 0 and 2 * count > of


def least_more_than_half(of: int) -> int:
    """The smallest number that is more than half of ``of``."""
    return of // 2 + 1


def at_least_two_thirds(count: int, of: int) -> bool:
    """``count`` is at least two thirds of ``of`` (21 of 31, 20 of 30)."""
    return of > 0 and 3 * count >= 2 * of


def least_two_thirds(of: int) -> int:
    return -(-2 * of // 3)


def quorum_needed(entitled: int, rule: str = QuorumRule.HALF) -> int:
    """How many of ``entitled`` must be present for a quorum."""
    return least_two_thirds(entitled) if rule == QuorumRule.TWO_THIRDS else least_more_than_half(entitled)


def has_quorum(entitled: int, present: int, rule: str = QuorumRule.HALF) -> bool:
    if rule == QuorumRule.TWO_THIRDS:
        return at_least_two_thirds(present, entitled)
    return more_than_half(present, entitled)


@dataclass(frozen=True)
class Outcome:
    """The double majority of a vote: quorate (present against entitled) and passed (in favour against
    entitled, whatever the number present)."""

    entitled: int
    present: int
    in_favour: int
    rule: str = QuorumRule.HALF

    @property
    def quorate(self) -> bool:
        return has_quorum(self.entitled, self.present, self.rule)

    @property
    def passed(self) -> bool:
        return self.quorate and more_than_half(self.in_favour, self.entitled)

    @property
    def needed_present(self) -> int:
        return quorum_needed(self.entitled, self.rule)

    @property
    def needed_in_favour(self) -> int:
        return least_more_than_half(self.entitled)


def quorum_refusal(entitled: int, present: int, rule: str = QuorumRule.HALF) -> str | None:
    """Why a vote may not be taken, in words, or ``None`` when the meeting is quorate."""
    if entitled <= 0:
        return _("Nobody is entitled to vote here: only full members vote, and there are none on the roll.")
    if has_quorum(entitled, present, rule):
        return None
    return _("No quorum: %(present)s of the %(entitled)s members entitled to vote are present, and at least "
             "%(needed)s are needed (%(rule)s). No decision can be recorded.") % {
        "present": present, "entitled": entitled, "needed": quorum_needed(entitled, rule),
        "rule": QuorumRule(rule).label}


def candidates_needed(seats: int) -> int:
    """The fewest candidates for ``seats`` (差额选举): at least 20% more, rounded up — ``ceil(seats * 1.2)`` in
    whole numbers (5 seats → 6, 7 → 9, 1 → 2)."""
    return -(-seats * 6 // 5)


@dataclass(frozen=True)
class Tally:
    """One candidate's count in a round."""

    candidate: int
    votes: int


@dataclass(frozen=True)
class RoundOutcome:
    """Who is elected in a round and what is left: ``elected`` in order of votes; ``revote`` the candidates of the
    next round (the tied ones when a tie at the last seat decided nothing, else everyone not elected) and
    ``seats_left``."""

    elected: tuple[int, ...]
    seats_left: int
    revote: tuple[int, ...]
    tie: bool


def count_round(counts: list[Tally], *, seats: int, present: int) -> RoundOutcome:
    """A candidate is elected with more than half of the votes of those present; the seats are filled in order of
    votes; a tie at the last seat elects none of the tied, who go to a re-vote for the seats left."""
    qualified = sorted((c for c in counts if more_than_half(c.votes, present)), key=lambda c: -c.votes)
    if len(qualified) > seats and qualified[seats].votes == qualified[seats - 1].votes:
        boundary = qualified[seats - 1].votes
        elected = tuple(c.candidate for c in qualified if c.votes > boundary)
        tied = tuple(c.candidate for c in qualified if c.votes == boundary)
        return RoundOutcome(elected=elected, seats_left=seats - len(elected), revote=tied, tie=True)
    elected = tuple(c.candidate for c in qualified[:seats])
    left = seats - len(elected)
    rest = tuple(c.candidate for c in sorted(counts, key=lambda c: -c.votes) if c.candidate not in elected)
    return RoundOutcome(elected=elected, seats_left=left, revote=rest if left else (), tie=False)
