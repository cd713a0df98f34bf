"""The quorum and majority helpers on known answers at their boundaries."""

import pytest

from gongzhi.democracy.quorum import (
    Outcome,
    QuorumRule,
    at_least_two_thirds,
    has_quorum,
    more_than_half,
    quorum_needed,
    quorum_refusal,
)


@pytest.mark.parametrize(("present", "quorate"), [(15, False), (16, True), (31, True), (0, False)])
def test_31_entitled_need_16_present(present, quorate):
    assert has_quorum(31, present) is quorate


@pytest.mark.parametrize("present", [16, 20, 25, 31])
def test_16_in_favour_of_31_entitled_pass_whatever_the_number_present(present):
    assert Outcome(entitled=31, present=present, in_favour=16).passed


@pytest.mark.parametrize("present", [16, 17, 31])
def test_15_in_favour_of_31_entitled_fail_even_when_most_of_those_present(present):
    outcome = Outcome(entitled=31, present=present, in_favour=15)
    assert outcome.quorate and not outcome.passed
    assert outcome.needed_in_favour == 16


def test_a_unanimous_vote_without_quorum_does_not_pass():
    assert not Outcome(entitled=31, present=15, in_favour=15).passed


@pytest.mark.parametrize(("count", "of", "expected"), [(15, 30, False), (16, 30, True), (1, 1, True), (0, 0, False),
                                                       (1, 2, False), (2, 3, True)])
def test_more_than_half(count, of, expected):
    assert more_than_half(count, of) is expected


@pytest.mark.parametrize(("count", "of", "expected"), [(20, 31, False), (21, 31, True), (20, 30, True), (19, 30, False),
                                                       (2, 3, True), (1, 3, False)])
def test_two_thirds(count, of, expected):
    assert at_least_two_thirds(count, of) is expected


def test_two_thirds_quorum_of_the_party_members_meeting():
    assert quorum_needed(31, QuorumRule.TWO_THIRDS) == 21
    assert quorum_needed(30, QuorumRule.TWO_THIRDS) == 20
    assert not Outcome(entitled=31, present=20, in_favour=20, rule=QuorumRule.TWO_THIRDS).passed
    assert Outcome(entitled=31, present=21, in_favour=16, rule=QuorumRule.TWO_THIRDS).passed


def test_the_refusal_says_how_many_are_present_entitled_and_needed():
    message = quorum_refusal(31, 15)
    assert "15" in message and "31" in message and "16" in message
    assert quorum_refusal(31, 16) is None
    assert quorum_refusal(0, 0)
