"""The "2+X" training rule, class opening, enrolment, attendance, completion and certificates."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gongzhi.learning import services
from gongzhi.learning.completion import class_progress
from gongzhi.learning.models import Attendance, AttendanceStatus, Enrolment, Session, TraineeCategory, TrainingClass
from gongzhi.points.models import PointEntry, RuleCode
from tests.factories import MemberFactory

from .conftest import csrf_post
from .factories import attend, make_class, make_programme, point_rules


@pytest.fixture
def world(world_copy):
    return world_copy


@pytest.fixture
def setup(world):
    programme, c = make_programme(world.community_a)
    # 2 required (4 h each) + 2 electives (2 h each); complete = both required, 1 elective, 10 hours.
    tc = make_class(world.community_a, programme, [c.r1, c.r2, c.e1, c.e2], required_hours="10", min_electives=1)
    members = [world.member_a, world.member_b, world.member_reported,
               MemberFactory(name="周全", home_org=world.branch_a, community=world.community_a)]
    enrolments = [Enrolment.objects.create(training_class=tc, member=m) for m in members]
    return programme, c, tc, enrolments


def test_the_2_plus_x_rule_on_known_data(setup):
    programme, c, tc, (full, no_elective, leave_only, short_hours) = setup
    attend(tc, c.r1, [full, no_elective, short_hours])
    attend(tc, c.r2, [full, no_elective, short_hours])
    attend(tc, c.r2, [leave_only], status=AttendanceStatus.LEAVE)
    attend(tc, c.e1, [full])
    attend(tc, c.e1, [short_hours], hours=Decimal("1"))  # a shortened session: 4 + 4 + 1 = 9 < 10
    attend(tc, c.r1, [leave_only], status=AttendanceStatus.ABSENT)
    progress = class_progress(tc)
    assert progress[full.pk].complete and progress[full.pk].hours == Decimal("10")
    assert not progress[no_elective.pk].complete  # both required, 8 h, no elective
    assert len(progress[no_elective.pk].electives_done) == 0
    assert not progress[leave_only.pk].complete and progress[leave_only.pk].hours == 0  # leave counts nothing
    assert not progress[short_hours.pk].complete and progress[short_hours.pk].hours == Decimal("9")
    assert progress[no_elective.pk].missing  # says why


def test_attending_the_same_required_course_twice_does_not_count_as_two_modules(setup):
    programme, c, tc, (first, *_rest) = setup
    attend(tc, c.r1, [first])
    attend(tc, c.r1, [first])
    attend(tc, c.e1, [first])
    attend(tc, c.e2, [first])
    progress = class_progress(tc)[first.pk]
    assert progress.hours == Decimal("12") and len(progress.required_done) == 1 and not progress.complete


def test_finishing_completes_the_eligible_issues_certificates_and_posts_points_once(setup, world):
    programme, c, tc, (full, other, *_rest) = setup
    point_rules(world.street_a)
    attend(tc, c.r1, [full, other])
    attend(tc, c.r2, [full])
    attend(tc, c.e1, [full])
    staff = world.users["community_staff"]
    assert services.finish_training_class(training_class=tc, by=staff) == 1
    full.refresh_from_db(), other.refresh_from_db()
    assert full.completed_on == timezone.localdate() and full.certificate_number
    assert other.completed_on is None
    entries = PointEntry.objects.filter(code=RuleCode.TRAINING_COMPLETED)
    assert [(e.member_id, e.points) for e in entries] == [(world.member_a.pk, Decimal("10.0"))]
    with pytest.raises(ValidationError):
        services.finish_training_class(training_class=tc, by=staff)  # finished: nothing changes
    assert PointEntry.objects.filter(code=RuleCode.TRAINING_COMPLETED).count() == 1


@pytest.mark.parametrize("picks, message", [
    (("r1",), "exactly two required"),
    (("r1", "r2", "r1b"), "exactly two required"),
    (("e1", "e2"), "exactly two required"),
])
def test_a_class_with_other_than_two_required_modules_is_refused(world, picks, message):
    programme, c = make_programme(world.community_a)
    from .factories import Course, CourseKind

    c.r1b = Course.objects.create(programme=programme, title="党的组织建设", kind=CourseKind.REQUIRED, module="组织",
                                  hours=Decimal("2"))
    with pytest.raises(ValidationError) as exc:
        services.open_training_class(
            organization=world.community_a, programme=programme, name="试点班", category=TraineeCategory.RETIREES,
            starts_on=timezone.localdate(), ends_on=timezone.localdate(), required_hours=Decimal("4"),
            min_electives=0, courses=[getattr(c, p) for p in picks], by=world.users["community_staff"])
    assert "2+X" in exc.value.messages[0]
    assert not TrainingClass.objects.exists()


def test_a_class_asking_more_electives_than_offered_or_courses_of_another_programme_is_refused(world):
    programme, c = make_programme(world.community_a)
    other, oc = make_programme(world.community_a, title="另一计划")
    args = dict(organization=world.community_a, programme=programme, name="班", category=TraineeCategory.NEW_MEMBERS,
                starts_on=timezone.localdate(), ends_on=timezone.localdate(), required_hours=Decimal("8"),
                by=world.users["community_staff"])
    with pytest.raises(ValidationError):
        services.open_training_class(min_electives=3, courses=[c.r1, c.r2, c.e1], **args)
    with pytest.raises(ValidationError):
        services.open_training_class(min_electives=0, courses=[c.r1, oc.r2], **args)
    training_class = services.open_training_class(min_electives=1, courses=[c.r1, c.r2, c.e1], **args)
    assert training_class.class_courses.count() == 3


def test_enrolling_someone_outside_the_organizers_scope_enrols_nobody(setup, world):
    programme, c, tc, _enrolments = setup
    newcomer = MemberFactory(home_org=world.branch_b, community=world.community_a)
    with pytest.raises(ValidationError):
        services.enrol_members(training_class=tc, members=[newcomer, world.member_x], by=world.users["community_staff"])
    assert not Enrolment.objects.filter(member__in=[newcomer, world.member_x]).exists()
    assert services.enrol_members(training_class=tc, members=[newcomer], by=world.users["community_staff"]) == 1


def test_attendance_for_someone_outside_the_class_saves_nothing(setup, world, client_for):
    programme, c, tc, (first, second, *_rest) = setup
    session = Session.objects.create(training_class=tc, course=c.r1, held_on=timezone.localdate(), hours=4)
    foreign = Enrolment.objects.create(
        training_class=make_class(world.community_a, programme, [c.r1, c.r2], name="另一班"), member=world.member_a)
    client = client_for("community_staff")
    response = csrf_post(client, reverse("learning:session", args=[session.pk]),
                           {f"e{first.pk}": "present", f"e{foreign.pk}": "present"}, follow=True)
    assert response.status_code == 200
    assert "只能为本班学员" in response.content.decode() or "enrolled" in response.content.decode()
    assert not Attendance.objects.exists()
    response = csrf_post(client, reverse("learning:session", args=[session.pk]), {f"e{first.pk}": "bogus"}, follow=True)
    assert response.status_code == 200 and not Attendance.objects.exists()
    response = csrf_post(client, reverse("learning:session", args=[session.pk]), {"eabc": "present"}, follow=True)
    assert response.status_code == 200 and not Attendance.objects.exists()
    response = csrf_post(client, reverse("learning:session", args=[session.pk]),
                           {f"e{first.pk}": "present", f"e{second.pk}": "leave"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {first.pk: "present", second.pk: "leave"}


def test_attendance_cannot_be_recorded_for_a_future_session(setup, world):
    programme, c, tc, (first, *_rest) = setup
    session = Session.objects.create(training_class=tc, course=c.r1,
                                     held_on=timezone.localdate() + timezone.timedelta(days=3), hours=4)
    with pytest.raises(ValidationError):
        services.record_attendance(session=session, statuses={first.pk: "present"}, by=world.users["community_staff"])


def test_a_branch_secretary_cannot_record_attendance_of_a_community_class(setup, world, client_for):
    programme, c, tc, (first, *_rest) = setup
    session = attend(tc, c.r1, [])
    response = csrf_post(client_for("branch_secretary_a"), reverse("learning:session", args=[session.pk]),
                                                     {f"e{first.pk}": "present"})
    assert response.status_code == 404 and not Attendance.objects.exists()
    response = csrf_post(client_for("supervisor"), reverse("learning:session", args=[session.pk]),
                                             {f"e{first.pk}": "present"})
    assert response.status_code == 404 and not Attendance.objects.exists()


def test_the_certificate_is_a_valid_docx_for_the_member_and_staff_in_scope_only(setup, world, client_for):
    programme, c, tc, (full, other, *_rest) = setup
    for course in (c.r1, c.r2, c.e1):
        attend(tc, course, [full])
    services.finish_training_class(training_class=tc, by=world.users["community_staff"])
    full.refresh_from_db()
    url = reverse("learning:certificate", args=[full.pk])
    for persona in ("member", "community_staff", "street_admin", "supervisor"):
        response = client_for(persona).get(url)
        assert response.status_code == 200, persona
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
        assert world.member_a.name in text and full.certificate_number in text and tc.name in text
    for persona in ("branch_secretary_b", "resident", "unit_admin", "foreign_secretary"):
        assert client_for(persona).get(url).status_code == 404, persona
    assert client_for("member").get(reverse("learning:certificate", args=[other.pk])).status_code == 404


def test_no_certificate_before_completion(setup, world, client_for):
    programme, c, tc, (full, *_rest) = setup
    assert client_for("member").get(reverse("learning:certificate", args=[full.pk])).status_code == 404
    assert client_for("community_staff").get(reverse("learning:certificate", args=[full.pk])).status_code == 404


def test_a_member_sees_only_his_own_progress_on_a_class_page(setup, world, client_for):
    programme, c, tc, _enrolments = setup
    body = client_for("member").get(reverse("learning:class", args=[tc.pk])).content.decode()
    assert world.member_a.name in body and world.member_b.name not in body
    for persona in ("community_staff", "supervisor", "street_admin"):
        body = client_for(persona).get(reverse("learning:class", args=[tc.pk])).content.decode()
        assert world.member_b.name in body, persona


def test_training_hours_by_module_this_year(setup, world, client_for):
    programme, c, tc, (full, *_rest) = setup
    attend(tc, c.r1, [full])
    attend(tc, c.e1, [full])
    attend(tc, c.e2, [full], status=AttendanceStatus.ABSENT)
    from gongzhi.learning.selectors import training_hours_by_module

    rows = training_hours_by_module(world.member_a, timezone.localdate().year)
    assert {r["module"]: r["hours"] for r in rows} == {"党章党规": Decimal("4"), "党史": Decimal("2")}
