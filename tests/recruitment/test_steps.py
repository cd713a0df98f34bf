"""The order of the 25 steps and their dates, with known answers: nothing skipped, nothing dated before the step
it follows, a year of cultivation, four quarterly assessments, two full members as contacts and introducers, five
working days of public notice, the branch general meeting's quorum and majority of those entitled, admission
through the members service, and what is overdue. A refusal writes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from gongzhi.core.models import AuditEvent
from gongzhi.democracy.models import Resolution
from gongzhi.members.models import Member, MembershipEvent, MemberStatus
from gongzhi.recruitment import services
from gongzhi.recruitment.models import Candidate, Standing, Step

from .factories import START, applicant, contacts, days_ago, id_number, walk

pytestmark = pytest.mark.django_db


def _cast(world):
    return world.users["branch_secretary_a"], world.users["community_secretary"], contacts(world.branch_a)


def test_an_application_is_step_one_and_makes_no_member(world):
    secretary = world.users["branch_secretary_a"]
    person = applicant(world.branch_a, by=secretary, id_number=id_number(date(1990, 2, 3), male=False))
    assert person.standing == Standing.APPLICANT and person.last_step == 1
    assert person.sex == "female" and person.birth_date == date(1990, 2, 3)
    assert Step.objects.get(candidate=person).number == 1
    assert not Member.objects.filter(id_number=person.id_number).exists()
    assert AuditEvent.objects.filter(action="recruitment.applicant.register", object_id=str(person.pk)).exists()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"id_number": "110101199001011234"}, "id_number"),  # wrong check character
    ({"applied_on": date(2999, 1, 1)}, "applied_on"),
    ({"id_number": id_number(date.today().replace(year=date.today().year - 17))}, "applied_on"),  # under 18
    ({"name": "  "}, "name"),
])
def test_a_bad_application_is_refused_with_its_field(world, kwargs, field):
    with pytest.raises(ValidationError) as error:
        applicant(world.branch_a, **kwargs)
    assert field in error.value.message_dict
    assert not Candidate.objects.exists()


def test_the_same_person_cannot_apply_twice_nor_a_member_apply(world):
    number = id_number()
    applicant(world.branch_a, id_number=number)
    with pytest.raises(ValidationError, match="already being handled"):
        applicant(world.branch_b, id_number=number)
    with pytest.raises(ValidationError, match="party member with this ID number"):
        applicant(world.branch_a, id_number=world.member_a.id_number)
    assert Candidate.objects.count() == 1


def test_a_step_cannot_be_skipped(world):
    person = applicant(world.branch_a, applied_on=days_ago(40))
    with pytest.raises(ValidationError, match="next step is 2") as error:
        services.record_step(candidate=person, number=3, on=days_ago(1), by=None)
    assert error.value.code == "order"
    assert Step.objects.filter(candidate=person).count() == 1


def test_a_step_cannot_be_dated_before_the_one_it_follows_nor_in_the_future(world):
    person = applicant(world.branch_a, applied_on=days_ago(40))
    with pytest.raises(ValidationError, match=str(days_ago(40))):
        services.record_step(candidate=person, number=2, on=days_ago(41), by=None)
    with pytest.raises(ValidationError, match="future"):
        services.record_step(candidate=person, number=2, on=days_ago(-1), by=None)
    services.record_step(candidate=person, number=2, on=days_ago(40), by=None)  # the same day is allowed
    assert Candidate.objects.get(pk=person.pk).last_step == 2


def test_a_second_submission_of_the_same_step_is_refused(world):
    person = applicant(world.branch_a, applied_on=days_ago(40))
    services.record_step(candidate=person, number=2, on=days_ago(30), by=None)
    with pytest.raises(ValidationError, match="next step is 3"):
        services.record_step(candidate=person, number=2, on=days_ago(30), by=None)
    assert Step.objects.filter(candidate=person, number=2).count() == 1


def test_a_year_of_cultivation_before_becoming_a_development_candidate(world):
    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 5, secretary=secretary, upper=upper,
                  members=members)
    activist_on = person.steps.get(number=3).on
    for n in (30, 120, 210, 300):
        services.add_assessment(candidate=person, on=activist_on + timedelta(days=n), text="季度考察", by=secretary)
    year = activist_on.replace(year=activist_on.year + 1)
    with pytest.raises(ValidationError, match="a year of cultivation") as error:
        services.record_step(candidate=person, number=6, on=year - timedelta(days=1), by=secretary)
    assert str(year) in str(error.value)
    services.record_step(candidate=person, number=6, on=year, by=secretary)
    assert Candidate.objects.get(pk=person.pk).last_step == 6


def test_the_cultivation_needs_four_quarterly_assessments(world):
    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 5, secretary=secretary, upper=upper,
                  members=members)
    activist_on = person.steps.get(number=3).on
    for n in (30, 120, 210):
        services.add_assessment(candidate=person, on=activist_on + timedelta(days=n), text="季度考察", by=secretary)
    with pytest.raises(ValidationError, match="3 assessment records") as error:
        services.record_step(candidate=person, number=6, on=activist_on + timedelta(days=400), by=secretary)
    assert error.value.code == "assessments"


def test_the_contacts_are_two_different_full_members_of_the_branch(world):
    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 4, secretary=secretary, upper=upper,
                  members=members)
    day = person.steps.get(number=4).on
    from tests.democracy.factories import probationary

    trainee = probationary(world.branch_a, name="预备党员乙")
    for first, second, words in [(members[0], members[0], "two different"), (members[0], trainee, "not a full"),
                                 (members[0], world.member_b, "not a member of"), (members[0], None, "Choose")]:
        with pytest.raises(ValidationError, match=words):
            services.record_step(candidate=person, number=5, on=day, first_member=first, second_member=second,
                                 by=secretary)
    services.record_step(candidate=person, number=5, on=day, first_member=members[0], second_member=members[1],
                         by=secretary)


def test_the_public_notice_lasts_five_working_days(world):
    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 11, secretary=secretary, upper=upper,
                  members=members)
    monday = person.steps.get(number=11).on + timedelta(days=30)
    monday -= timedelta(days=monday.weekday())
    monday = date(2024, 3, 4) if monday.year < 2024 else monday
    from gongzhi.core.workdays import add_working_days

    fifth = add_working_days(monday - timedelta(days=1), 5)
    with pytest.raises(ValidationError, match="5 working days"):
        services.record_step(candidate=person, number=12, on=monday, notice_starts_on=monday,
                             notice_ends_on=fifth - timedelta(days=1), by=secretary)
    with pytest.raises(ValidationError, match="first and the last day"):
        services.record_step(candidate=person, number=12, on=monday, by=secretary)
    services.record_step(candidate=person, number=12, on=monday, notice_starts_on=monday, notice_ends_on=fifth,
                         by=secretary)
    with pytest.raises(ValidationError, match="end of the public notice"):
        services.record_step(candidate=person, number=13, on=fifth, by=upper)


def test_known_answer_five_working_days_from_a_monday_end_on_friday():
    from gongzhi.core.workdays import add_working_days

    monday = date(2025, 6, 9)  # an ordinary week
    assert add_working_days(monday - timedelta(days=1), 5) == date(2025, 6, 13)


def test_upper_steps_and_branch_steps_are_distinct_capabilities(world):
    from gongzhi.recruitment.permissions import can_record_step

    person = applicant(world.branch_a)
    users = world.users
    assert can_record_step(users["branch_secretary_a"], person, 2)
    assert not can_record_step(users["branch_secretary_a"], person, 4)
    assert can_record_step(users["community_secretary"], person, 4)
    assert not can_record_step(users["community_staff"], person, 17)
    assert not can_record_step(users["branch_secretary_b"], person, 2)


def test_the_admission_vote_without_quorum_writes_nothing(world):
    secretary, upper, members = _cast(world)
    extra = contacts(world.branch_a, 3)  # with member_a: six entitled
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 14, secretary=secretary, upper=upper,
                  members=members)
    day = person.steps.get(number=14).on + timedelta(days=5)
    with pytest.raises(ValidationError, match="No quorum"):
        services.record_step(candidate=person, number=15, on=day, present_ids=[m.pk for m in members + extra[:1]],
                             in_favour=3, against=0, abstained=0, by=secretary)
    assert not Resolution.objects.exists()
    assert Candidate.objects.get(pk=person.pk).last_step == 14


def test_the_admission_needs_more_than_half_of_those_entitled_not_of_those_present(world):
    secretary, upper, members = _cast(world)
    extra = contacts(world.branch_a, 3)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 14, secretary=secretary, upper=upper,
                  members=members)
    day = person.steps.get(number=14).on + timedelta(days=5)
    present = [m.pk for m in members + extra]  # 5 of the 6 entitled present; 3 in favour is more than half of 5
    step = services.record_step(candidate=person, number=15, on=day, present_ids=present, in_favour=3, against=2,
                                abstained=0, by=secretary)
    person.refresh_from_db()
    assert step.resolution.entitled == 6 and step.resolution.passed is False
    assert person.standing == Standing.CLOSED and person.closed_on == day
    assert services.next_step(person) is None


def test_a_passed_vote_and_the_approval_admit_a_probationary_member_through_the_members_service(world):
    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START), phone="13800138000", workplace="区医院"),
                  15, secretary=secretary, upper=upper, members=members)
    assert person.standing == Standing.CANDIDATE and person.member is None
    vote_day = person.steps.get(number=15).on
    with pytest.raises(ValidationError, match="next step is 16"):
        services.record_step(candidate=person, number=17, on=vote_day, by=upper)
    walk(person, 17, secretary=secretary, upper=upper, members=members)
    person.refresh_from_db()
    member = person.member
    assert person.standing == Standing.PROBATIONARY
    assert member.status == MemberStatus.PROBATIONARY and member.home_org == world.branch_a
    assert member.joined_on == vote_day and member.probation_ends_on == vote_day.replace(year=vote_day.year + 1)
    assert member.id_number == person.id_number and member.mobile == "13800138000"
    assert MembershipEvent.objects.filter(member=member, kind="created").exists()
    assert AuditEvent.objects.filter(action="members.member.create", object_id=str(member.pk)).exists()


def test_the_conversion_is_the_democracy_apps_and_archiving_follows_it(world):
    from gongzhi.democracy import services as democracy
    from gongzhi.democracy.models import Conversion, ResolutionKind
    from tests.democracy.factories import general_meeting

    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 22, secretary=secretary, upper=upper,
                  members=members)
    assert services.next_step(person) == 23
    with pytest.raises(ValidationError, match="conversions page"):
        services.record_step(candidate=person, number=23, on=days_ago(1), by=secretary)
    with pytest.raises(ValidationError, match="conversions page"):
        services.record_step(candidate=person, number=25, on=days_ago(1), by=secretary)
    member = person.member
    meeting = general_meeting(world.branch_a, present=[*members, member], day=member.probation_ends_on)
    vote = democracy.record_show_of_hands(meeting=meeting, title="转正", kind=ResolutionKind.CONVERSION,
                                          subject=member, proposal="convert", in_favour=2, against=0, abstained=0,
                                          by=secretary)
    democracy.decide_conversion(conversion=Conversion.objects.get(resolution=vote), approve=True,
                                on=member.probation_ends_on + timedelta(days=3), by=upper)
    person = Candidate.objects.select_related("member").get(pk=person.pk)
    assert person.current_standing == Standing.FULL and services.next_step(person) == 25
    with pytest.raises(ValidationError, match="approval of the conversion"):
        services.record_step(candidate=person, number=25, on=member.probation_ends_on, by=secretary)
    services.record_step(candidate=person, number=25, on=member.probation_ends_on + timedelta(days=4), by=secretary)
    person.refresh_from_db()
    assert person.standing == Standing.FULL and services.next_step(person) is None


def test_overdue_talk_assessment_and_approval_are_listed_with_why(world):
    secretary, upper, members = _cast(world)
    today = date.today()
    waiting = applicant(world.branch_a, applied_on=days_ago(20), name="等谈话")
    late = applicant(world.branch_a, applied_on=days_ago(40), name="逾期谈话")
    assert services.overdue(waiting, today) == []
    (talk,) = services.overdue(late, today)
    assert talk.kind == "talk" and talk.due == services.add_months(days_ago(40), 1)
    activist = walk(applicant(world.branch_a, applied_on=days_ago(300), name="积极分子"), 3, secretary=secretary,
                    upper=upper, members=members)  # an activist since 240 days ago, never assessed
    kinds = [o.kind for o in services.overdue(activist, today)]
    assert kinds == ["assessment"]
    services.add_assessment(candidate=activist, on=days_ago(10), text="季度考察", by=secretary)
    assert services.overdue(Candidate.objects.get(pk=activist.pk), today) == []
    voted = walk(applicant(world.branch_a, applied_on=days_ago(START), name="待审批"), 16, secretary=secretary,
                 upper=upper, members=members)
    assert [o.kind for o in services.overdue(voted, today)] == ["approval"]


def test_assessments_and_closing_refuse_bad_input(world):
    person = applicant(world.branch_a, applied_on=days_ago(40))
    with pytest.raises(ValidationError, match="activists"):
        services.add_assessment(candidate=person, on=days_ago(1), text="考察记录", by=None)
    with pytest.raises(ValidationError):
        services.close_application(candidate=person, on=days_ago(1), reason="", by=None)
    services.close_application(candidate=person, on=days_ago(1), reason="本人撤回申请", by=None)
    person.refresh_from_db()
    assert person.standing == Standing.CLOSED and services.next_step(person) is None
    applicant(world.branch_a, id_number=person.id_number)  # a closed application does not block a new one


def test_steps_and_assessments_are_append_only_at_the_database(world):
    from django.db import DatabaseError, transaction

    secretary, upper, members = _cast(world)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 3, secretary=secretary, upper=upper,
                  members=members)
    services.add_assessment(candidate=person, on=days_ago(5), text="季度考察", by=secretary)
    step = Step.objects.get(candidate=person, number=2)
    for attempt in (lambda: Step.objects.filter(pk=step.pk).update(notes="改写"),
                    lambda: Step.objects.filter(pk=step.pk).delete(),
                    lambda: person.assessments.update(text="改写")):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert Step.objects.get(pk=step.pk).notes == "第2步"
