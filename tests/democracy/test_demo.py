"""The democracy demo: 光明社区's election awaiting the street's approval, 和平社区第二网格党支部's committee
elected and installed, 东风村's road repair reviewed at the village's party members' meeting (with its roll)."""

import pytest
from django.utils import timezone

from gongzhi.accounts.models import Role, RoleKind, User
from gongzhi.core.periods import Period
from gongzhi.democracy import selectors, stats
from gongzhi.democracy.models import Election, ElectionStatus, Matter, MatterStep
from gongzhi.meetings.models import MeetingKind
from gongzhi.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def test_guangming_prepares_its_election_and_the_street_is_asked_to_approve(demo):
    election = Election.objects.get(organization__name="光明社区党总支")
    assert election.status == ElectionStatus.SUBMITTED and election.seats == 5
    assert election.candidates.count() == 6 and election.term is not None
    street = User.objects.get(username="jiedao")
    assert list(selectors.elections_to_approve(street)) == [election]


def test_a_branch_elected_and_installed_its_committee(demo):
    election = Election.objects.get(status=ElectionStatus.INSTALLED)
    today = timezone.localdate()
    round_ = election.rounds.get()
    assert round_.cast == round_.present and round_.results.filter(elected=True).count() == 3
    secretaries = Role.objects.filter(organization=election.organization, kind=RoleKind.BRANCH_SECRETARY).active(today)
    assert set(secretaries.values_list("user__member__pk", flat=True)) == {election.secretary_id, election.deputy_id}
    assert election.new_term.starts_on == today and election.publicity_item.status == "published"
    street = Organization.objects.get(kind=OrgKind.STREET)
    period = Period(start=today.replace(month=1, day=1), end=today)
    assert stats.elections_held(street, period) == 1
    assert stats.elections_on_time(street, period) == 100


def test_the_village_reviewed_the_road_repair_at_its_party_members_meeting(demo):
    matter = Matter.objects.get(title="东风村村东主路硬化修缮")
    review = MatterStep.objects.get(matter=matter, number=3).resolution
    assert review.meeting.kind == MeetingKind.MEMBERS and review.meeting.organization == matter.organization
    assert review.present == 45 and review.passed
