from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from gongzhi.points.models import PointRule, RuleCode


@pytest.fixture
def service_rule(world):
    return PointRule.objects.create(organization=world.street_a, code=RuleCode.SERVICE_HOUR, points=2,
                                    per_hour=True, effective_from=date(2020, 1, 1))


@pytest.fixture
def mid_morning():
    """A check-in token is bound to the activity's day: at 10:00 local time an activity under way and a
    check-out an hour or two later fall on the same day, whatever the hour the suite runs at."""
    with time_machine.travel(timezone.make_aware(datetime.combine(timezone.localdate(), time(10))), tick=True):
        yield
