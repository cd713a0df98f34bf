from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongzhi.meetings.models import Appraisal, MeetingKind
from gongzhi.points.models import PointRule, RuleCode

from .factories import planned_meeting


@pytest.fixture
def point_rules(world):
    PointRule.objects.create(organization=world.street_a, code=RuleCode.MEETING_ATTENDANCE, points=2,
                             effective_from=date(2020, 1, 1))
    PointRule.objects.create(organization=world.street_a, code=RuleCode.MEETING_ABSENCE, points=-1,
                             effective_from=date(2020, 1, 1))


@pytest.fixture
def meeting_a(world):
    """A theme party day of branch A held yesterday, planned by its secretary."""
    return planned_meeting(world.branch_a, by=world.users["branch_secretary_a"],
                           day=timezone.localdate() - timedelta(days=1))


@pytest.fixture
def meeting_x(world):
    return planned_meeting(world.branch_x, by=world.users["foreign_secretary"],
                           day=timezone.localdate() - timedelta(days=1), kind=MeetingKind.THEME_DAY)


@pytest.fixture
def appraisal_a(world):
    from gongzhi.meetings import services

    return services.open_appraisal(branch=world.branch_a, year=timezone.localdate().year,
                                   by=world.users["branch_secretary_a"])


@pytest.fixture
def appraisal_x(world):
    return Appraisal.objects.create(branch=world.branch_x, year=timezone.localdate().year)


@pytest.fixture(autouse=True)
def _service_messages_in_english():
    """Service-level assertions match the English messages; pages still render in Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield
