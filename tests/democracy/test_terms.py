"""Committee terms: 5 years for community and village organizations, 3 for branches; elections due within six
months listed for the level above only; a postponement approved by the upper organization, at most a year, once."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.democracy import selectors, services, stats
from gongzhi.democracy.models import Term
from gongzhi.democracy.permissions import can_manage_terms_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def _started(years_ago: int, days: int = 0) -> date:
    today = timezone.localdate()
    return services.add_months(today, -12 * years_ago) + timedelta(days=days)


def test_terms_last_five_years_for_a_community_and_three_for_a_branch(world):
    community = services.record_term(organization=world.community_a, starts_on=date(2022, 4, 15), by=None)
    branch = services.record_term(organization=world.branch_a, starts_on=date(2024, 3, 1), by=None)
    assert community.ends_on == date(2027, 4, 15) and branch.ends_on == date(2027, 3, 1)
    assert services.record_term(organization=world.branch_b, starts_on=date(2024, 3, 1), years=2, by=None).years == 2


def test_elections_due_within_six_months_are_listed_for_the_level_above_only(world):
    services.record_term(organization=world.community_a, starts_on=_started(5, days=120), by=None)  # due in ~4 months
    services.record_term(organization=world.branch_a, starts_on=_started(3, days=200), by=None)  # due in ~7 months
    services.record_term(organization=world.branch_b, starts_on=_started(3, days=-10), by=None)  # overdue
    today = timezone.localdate()
    street = [t.organization for t in selectors.terms_due(world.users["street_admin"], today)]
    assert set(street) == {world.branch_b, world.community_a}
    community = [t.organization for t in selectors.terms_due(world.users["community_secretary"], today)]
    assert community == [world.branch_b]  # its own term is the street's to watch
    assert list(selectors.terms_due(world.users["branch_secretary_a"], today)) == []
    figure = stats.elections_due(world.street_a, Period(date(today.year, 1, 1), date(today.year, 12, 31)))
    assert figure == 2


def test_a_new_term_replaces_the_current_one(world):
    first = services.record_term(organization=world.branch_a, starts_on=date(2021, 3, 1), by=None)
    second = services.record_term(organization=world.branch_a, starts_on=date(2024, 3, 5), by=None)
    first.refresh_from_db()
    assert first.closed_on == date(2024, 3, 5) and Term.objects.current().get(organization=world.branch_a) == second
    with pytest.raises(ValidationError):
        services.record_term(organization=world.branch_a, starts_on=date(2023, 1, 1), by=None)
    with pytest.raises(ValidationError):
        services.record_term(organization=world.group_a1, starts_on=date(2023, 1, 1), by=None)


def test_a_postponement_is_approved_above_lasts_at_most_a_year_and_only_once(world):
    term = services.record_term(organization=world.branch_a, starts_on=date(2023, 6, 1), by=None)
    assert can_manage_terms_of(world.users["community_secretary"], world.branch_a)
    assert not can_manage_terms_of(world.users["branch_secretary_a"], world.branch_a)
    assert not can_manage_terms_of(world.users["community_secretary"], world.community_a)
    with pytest.raises(ValidationError):
        services.postpone_election(term=term, until=date(2027, 6, 2), reason="拆迁安置", by=None)
    with pytest.raises(ValidationError):
        services.postpone_election(term=term, until=date(2026, 12, 1), reason="", by=None)
    services.postpone_election(term=term, until=date(2026, 12, 1), reason="拆迁安置，党员分散", by=None)
    with pytest.raises(ValidationError, match="already"):
        services.postpone_election(term=term, until=date(2027, 3, 1), reason="再次推迟", by=None)
    term.refresh_from_db()
    assert term.election_due_on == date(2026, 12, 1)
