"""The figures, with known answers: people by standing on a day from the dated steps, admissions in a period,
overdue steps."""

from datetime import timedelta

import pytest

from gongzhi.core.periods import Period
from gongzhi.core.registries import figure
from gongzhi.recruitment.stats import standings_on

from .factories import START, applicant, contacts, days_ago, walk

pytestmark = pytest.mark.django_db


def test_recruitment_by_stage_known_answer(world):
    secretary, upper = world.users["branch_secretary_a"], world.users["community_secretary"]
    members = contacts(world.branch_a)
    applicant(world.branch_a, applied_on=days_ago(40), name="申请人一")  # talk overdue
    applicant(world.branch_b, applied_on=days_ago(5), name="申请人二")
    walk(applicant(world.branch_a, applied_on=days_ago(START), name="积极分子"), 6, secretary=secretary,
         upper=upper, members=members)
    admitted = walk(applicant(world.branch_a, applied_on=days_ago(START), name="预备党员"), 17, secretary=secretary,
                    upper=upper, members=members)
    applicant(world.branch_x, name="外街")
    today = days_ago(0)
    assert standings_on(world.community_a, today) == {"applicant": 2, "activist": 1, "candidate": 0,
                                                      "probationary": 1, "full": 0}
    assert standings_on(world.branch_b, today)["applicant"] == 1
    # The day before the approval he or she was still a candidate: by the dated steps, not today's state.
    approval = admitted.steps.get(number=17).on
    assert standings_on(world.community_a, approval - timedelta(days=1))["probationary"] == 0
    period = Period(today.replace(month=1, day=1), today, "year")
    by_stage = figure("recruitment.by_stage")
    assert by_stage.compute(world.community_a, period) == 4
    assert dict(by_stage.breakdown(world.community_a, period))["Applicant"] == 2
    # 申请人一's talk, and the probationary member's quarterly assessment (none since the approval).
    assert figure("recruitment.overdue").compute(world.community_a, period) == 2
    assert figure("recruitment.admitted").compute(world.community_a, Period(approval, approval, "day")) == 1
