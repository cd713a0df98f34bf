"""A member opens the election ballot from the meeting's election page on a phone, marks the candidates and casts
it; the page then says the ballot is cast, and nobody can see how."""

import os

import pytest

from gongzhi.democracy import services
from gongzhi.democracy.models import BallotMark, ElectionBallot
from tests.browser import assert_accessible, log_in, open_pages
from tests.conftest import build_world
from tests.factories.core import PASSWORD

from .factories import election_world

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_casts_an_election_ballot_on_a_phone(live_server):
    world = build_world()
    # 赵磊 (the member persona) among branch A's full members, present at the election meeting.
    election, members, meeting = election_world(world, branch=world.branch_a, entitled=9, present=8)
    meeting.attendances.create(member=world.member_a, status="present")
    services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_a"])
    candidates = list(election.rounds.get().candidates.order_by("member__name_initials", "id"))
    with open_pages(1) as (phone,):
        log_in(phone, live_server.url, "member", PASSWORD)
        phone.goto(f"{live_server.url}/democracy/elections/")
        phone.click(f"#election-ballots a[href='/democracy/elections/{election.pk}/ballot/']")
        phone.wait_for_selector("#ballot-form")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        for i, candidate in enumerate(candidates):
            phone.check(f"input[name=c{candidate.pk}][value={'for' if i < 2 else 'against'}]")
        assert_accessible(phone)
        phone.click("#ballot-form button[type=submit]")
        phone.wait_for_url(f"**/democracy/elections/{election.pk}/")
        assert phone.locator("#ballot-open").is_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert ElectionBallot.objects.count() == 1
    assert sorted(BallotMark.objects.values_list("mark", flat=True)) == ["against", "against", "for", "for"]
