from datetime import date

import pytest

from gongzhi.points.models import PointRule, RuleCode


@pytest.fixture
def service_rule(world):
    return PointRule.objects.create(organization=world.street_a, code=RuleCode.SERVICE_HOUR, points=2,
                                    per_hour=True, effective_from=date(2020, 1, 1))
