"""One participation selector: the activity page and the API show the same sign-up, check-in and refusal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.service import selectors, services
from gongzhi.service.models import OpenTo, SignUpStatus

from .factories import activity

pytestmark = pytest.mark.django_db


def _both(client, a):
    page = client.get(reverse("service:detail", args=[a.pk]))
    api = client.get(f"/api/service/activities/{a.pk}").json()
    return page.context, api


def test_a_signed_up_member_sees_the_same_state_on_the_page_and_in_the_api(world, client):
    a = activity(world.branch_a, starts_in=timedelta(days=1))
    services.sign_up(a, world.member_a)
    state = selectors.participation(a, world.member_a)
    assert (state.signup.status, state.checkin, state.refusal) == (SignUpStatus.SIGNED_UP, None, "")
    client.force_login(world.users["member"])
    page, api = _both(client, a)
    assert page["signup"] == state.signup and page["refusal"] == "" and page["checkin"] is None
    assert (api["my_status"], api["may_join"], api["checked_in_at"]) == (SignUpStatus.SIGNED_UP, True, None)


def test_a_resident_is_refused_a_cancelled_activity_with_the_same_reason_on_both(world, client):
    a = activity(world.community_a, starts_in=timedelta(days=1), open_to=OpenTo.RESIDENTS,
                 cancelled_at=timezone.now())
    state = selectors.participation(a, world.resident_a)
    assert state.signup is None and state.refusal
    client.force_login(world.users["resident"])
    page, api = _both(client, a)
    assert page["refusal"] == state.refusal == api["refusal"] and api["may_join"] is False


def test_no_participant_no_state():
    assert selectors.participation(None, None) == selectors.Participation()
