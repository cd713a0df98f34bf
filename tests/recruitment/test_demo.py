"""The demo: two activists in cultivation and an applicant waiting for the talk in 幸福社区's first grid branch,
a development candidate with a public notice; the pipeline shows them to the branch secretary."""

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.models import User
from gongzhi.orgs.models import Organization
from gongzhi.recruitment.models import Candidate, Standing, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def test_the_demo_has_the_issues_people(demo):
    branch = Organization.objects.get(name="幸福社区第一网格党支部")
    people = Candidate.objects.filter(branch=branch)
    assert people.filter(standing=Standing.ACTIVIST).count() == 2
    assert people.filter(standing=Standing.APPLICANT, last_step=1).count() == 1
    assert people.filter(standing=Standing.CANDIDATE, last_step=12).count() == 1
    notice = Step.objects.get(candidate__branch=branch, number=12)
    assert notice.notice_starts_on and notice.notice_ends_on > notice.notice_starts_on
    client = Client()
    client.force_login(User.objects.get(username="zhibu1"))
    page = client.get(reverse("recruitment:index")).content.decode()
    assert 'data-standing="activist">2<' in page and 'data-overdue="talk"' in page
    assert 'data-overdue="assessment"' in page
