"""议事协商: a topic from draft to published outcome; one opinion per resident; the place decides who
takes part; residents read opinions without names; the history is kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.voice import consultations as service
from gongzhi.voice.models import Consultation, ConsultationEvent, ConsultationStatus, Opinion
from tests.factories import ResidentFactory, UserFactory

from .factories import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def draft_data(world, **changes):
    today = timezone.localdate()
    data = {"community": world.community_a.pk, "grid": world.grid_a.pk, "building": "", "title": "1号楼停车难",
            "description": "楼下车位不足，拟划线停车或开放夜间共享车位。", "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=10)).isoformat(), "options": "划线停车\n夜间共享车位\n"}
    data.update(changes)
    return data


def open_topic(world, client):
    post(client, "/voice/consultations/new/", draft_data(world))
    topic = Consultation.objects.get()
    post(client, f"/voice/consultations/{topic.pk}/step/", {"action": "open"})
    topic.refresh_from_db()
    return topic


def test_a_topic_runs_from_draft_to_a_published_outcome(world, client_for):
    staff, resident = client_for("community_staff"), client_for("resident")
    post(staff, "/voice/consultations/new/", draft_data(world))
    topic = Consultation.objects.get()
    assert topic.status == ConsultationStatus.DRAFT and [o.text for o in topic.options.all()] == ["划线停车",
                                                                                                  "夜间共享车位"]
    assert resident.get(f"/voice/consultations/{topic.pk}/").status_code == 404  # drafts are for staff
    post(staff, f"/voice/consultations/{topic.pk}/step/", {"action": "open"})
    option = topic.options.get(text="夜间共享车位")
    post(resident, f"/voice/consultations/{topic.pk}/opinion/", {"option": option.pk, "text": "晚上车多"})
    post(staff, f"/voice/consultations/{topic.pk}/step/", {"action": "close"})
    post(staff, f"/voice/consultations/{topic.pk}/step/",
         {"action": "outcome", "meeting_on": timezone.localdate().isoformat(), "meeting_note": "居民代表12人参加",
          "outcome": "采纳夜间共享车位方案，下月起试行。"})
    post(staff, f"/voice/consultations/{topic.pk}/step/", {"action": "publish"})
    topic.refresh_from_db()
    assert topic.status == ConsultationStatus.PUBLISHED
    page = resident.get(f"/voice/consultations/{topic.pk}/")
    body = page.content.decode()
    assert "采纳夜间共享车位方案" in body
    assert [row["support"] for row in page.context["tally"]] == [0, 1]
    assert list(ConsultationEvent.objects.filter(consultation=topic).values_list("kind", flat=True)) == [
        "created", "opened", "closed", "meeting", "published"]


def test_a_second_opinion_late_opinion_or_long_opinion_is_refused(world, client_for):
    topic = open_topic(world, client_for("community_staff"))
    resident = client_for("resident")
    post(resident, f"/voice/consultations/{topic.pk}/opinion/", {"text": "同意划线"})
    post(resident, f"/voice/consultations/{topic.pk}/opinion/", {"text": "再说一次"})
    assert list(Opinion.objects.values_list("text", flat=True)) == ["同意划线"]
    with pytest.raises(ValidationError):
        service.give_opinion(consultation=topic, resident=world.resident_a, text="x" * 1001)
    other = ResidentFactory(community=world.community_a, household=world.household_a)
    with pytest.raises(ValidationError):
        service.give_opinion(consultation=topic, resident=other, text="太晚了",
                             today=topic.closes_on + timedelta(days=1))
    with pytest.raises(ValidationError):
        service.give_opinion(consultation=topic, resident=other, text="")
    assert Opinion.objects.count() == 1


def test_only_residents_of_the_place_take_part(world, client_for):
    topic = open_topic(world, client_for("community_staff"))  # for grid A
    elsewhere_user = UserFactory(username="grid_b_resident")
    ResidentFactory(community=world.community_a, household=world.household_b, user=elsewhere_user)
    from django.test import Client

    client = Client()
    client.force_login(elsewhere_user)
    assert client.get(f"/voice/consultations/{topic.pk}/").status_code == 404
    assert client_for("resident").get(f"/voice/consultations/{topic.pk}/").status_code == 200


def test_residents_read_opinions_without_names_and_staff_see_who_said_what(world, client_for):
    topic = open_topic(world, client_for("community_staff"))
    neighbour = ResidentFactory(name="钱多多", community=world.community_a, household=world.household_a)
    service.give_opinion(consultation=topic, resident=neighbour, text=f"我是{neighbour.name}，王阿姨也同意")
    resident_view = client_for("resident").get(f"/voice/consultations/{topic.pk}/").content.decode()
    assert neighbour.name not in resident_view and "王阿姨" not in resident_view
    staff_view = client_for("community_staff").get(f"/voice/consultations/{topic.pk}/").content.decode()
    assert neighbour.name in staff_view


def test_a_published_topic_cannot_be_edited_and_steps_go_in_order(world, client_for):
    staff = client_for("community_staff")
    topic = open_topic(world, staff)
    assert post(staff, f"/voice/consultations/{topic.pk}/edit/", draft_data(world, title="改")).status_code == 400
    post(staff, f"/voice/consultations/{topic.pk}/step/", {"action": "publish"})
    topic.refresh_from_db()
    assert topic.status == ConsultationStatus.OPEN


def test_a_period_ending_before_it_begins_is_refused(world, client_for):
    today = timezone.localdate()
    response = post(client_for("community_staff"), "/voice/consultations/new/",
                    draft_data(world, closes_on=(today - timedelta(days=1)).isoformat()))
    assert response.status_code == 400 and not Consultation.objects.exists()


def test_the_list_costs_the_same_queries_with_more_topics(world, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for("community_staff")
    open_topic(world, staff)
    with CaptureQueriesContext(connection) as few:
        assert staff.get("/voice/consultations/").status_code == 200
    baseline = len(few)  # read now: every request resets the connection's query log
    for n in range(15):
        post(staff, "/voice/consultations/new/", draft_data(world, title=f"议题{n}"))
    with django_assert_max_num_queries(baseline):
        staff.get("/voice/consultations/")
