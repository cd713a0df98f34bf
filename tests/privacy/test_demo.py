"""The demo's requests about personal data: the resident's correction waits in the staff's queue, the member's
was accepted and applied; one resident who moved away three years ago is due under the default rules."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from gongzhi.accounts.models import User
from gongzhi.members.models import Member
from gongzhi.privacy import services
from gongzhi.privacy.models import DataRequest, Departure, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def test_the_demo_resident_has_an_open_correction_in_the_staffs_queue(demo):
    open_request = DataRequest.objects.get(person__username="jumin")
    assert (open_request.status, open_request.field) == (RequestStatus.OPEN, "phone")
    client = Client()
    client.force_login(User.objects.get(username="shegong"))
    rows = client.get(reverse("privacy:queue")).context["rows"]
    assert [row["request"].pk for row in rows] == [open_request.pk]


def test_the_demo_members_correction_was_accepted_and_applied(demo):
    decided = DataRequest.objects.get(person__username="dangyuan")
    assert decided.status == RequestStatus.ACCEPTED and decided.decision_reason
    assert Member.objects.get(user__username="dangyuan").address == decided.proposed_value


@override_settings(GONGZHI_RETENTION_RESIDENT_YEARS=2)
def test_the_demo_resident_who_moved_away_is_due(demo):
    assert Departure.objects.count() == 1
    assert services.run_retention(dry_run=True)["departed_residents"] == 1
