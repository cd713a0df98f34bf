"""People's requests about their own data: asked from "my data", due in 30 calendar days, decided by the staff
covering the person's organization with a reason, a correction applied through the owning app's service, an
erasure of a resident carried out as an anonymisation, an erasure of a party member refused with the legal
reason; the person sees the outcome and is notified. The download lists who revealed one's data."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.core.models import AuditEvent, Notification
from gongzhi.members.models import Member, Resident
from gongzhi.privacy import selectors, services
from gongzhi.privacy.models import ANONYMISED, Anonymisation, Cause, DataRequest, RequestStatus, Subject
from gongzhi.voice.models import Request
from tests.voice.factories import request_in

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ask_mobile(world, value="13987654321"):
    return services.ask(person=world.users["member"], kind="correction", subject=Subject.MEMBER, field="mobile",
                        proposed_value=value, reason="换了手机号")


def test_a_correction_request_goes_through_to_its_outcome(world, django_capture_on_commit_callbacks):
    member_user, staff = world.users["member"], world.users["community_staff"]
    response = _client(member_user).post(reverse("privacy:mine"), {
        "subject": "member", "kind": "correction", "field": "mobile", "proposed_value": "13987654321",
        "reason": "换了手机号"})
    assert response.status_code == 302
    asked = DataRequest.objects.get(person=member_user)
    assert (asked.status, asked.organization, asked.due_on) == (
        RequestStatus.OPEN, world.branch_a, timezone.localdate() + timedelta(days=30))
    # The staff see it in their queue, with the value masked as the field is.
    queue = _client(staff).get(reverse("privacy:queue"))
    assert asked in [row["request"] for row in queue.context["rows"]]
    assert "139****4321" in queue.content.decode() and "13987654321" not in queue.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(staff).post(reverse("privacy:decide", args=[asked.pk]),
                                       {"decision": "accept", "reason": "已电话核实"})

    assert response.status_code == 302
    assert Member.objects.get(pk=world.member_a.pk).mobile == "13987654321"
    asked.refresh_from_db()
    assert (asked.status, asked.decision_reason, asked.decided_by) == (RequestStatus.ACCEPTED, "已电话核实", staff)
    assert AuditEvent.objects.filter(action="members.member.update", object_id=str(world.member_a.pk),
                                     detail__fields=["mobile"]).exists()
    assert AuditEvent.objects.filter(action="privacy.request.decide", object_id=str(asked.pk)).exists()
    assert Notification.objects.filter(user=member_user, key=f"privacy:{asked.pk}:decided").count() == 1
    # The person sees the outcome on his page.
    page = _client(member_user).get(reverse("privacy:mine")).content.decode()
    assert "已电话核实" in page


def test_a_residents_phone_correction_is_applied_through_the_resident_service(world):
    asked = services.ask(person=world.users["resident"], kind="correction", subject=Subject.RESIDENT,
                         field="phone", proposed_value="13511112222", reason="旧号码停用")
    services.decide(data_request=asked, accept=True, reason="核实无误", by=world.users["community_secretary"])

    assert Resident.objects.get(pk=world.resident_a.pk).phone == "13511112222"
    assert AuditEvent.objects.filter(action="members.resident.update", object_id=str(world.resident_a.pk)).exists()


def test_a_wrong_id_number_is_refused_when_asked_and_nothing_is_recorded(world):
    with pytest.raises(ValidationError) as refused:
        services.ask(person=world.users["member"], kind="correction", subject=Subject.MEMBER, field="id_number",
                     proposed_value="110101199003070000", reason="号码录错了")
    assert "proposed_value" in refused.value.message_dict
    assert not DataRequest.objects.exists()


def test_one_cannot_ask_about_a_record_that_is_not_ones_own(world):
    with pytest.raises(ValidationError):
        services.ask(person=world.users["resident"], kind="erasure", subject=Subject.MEMBER, reason="删除")
    with pytest.raises(ValidationError):
        services.ask(person=world.users["member"], kind="correction", subject=Subject.MEMBER, field="status",
                     proposed_value="full", reason="改为正式党员")


def test_a_double_submission_is_recorded_once(world):
    _ask_mobile(world)
    with pytest.raises(ValidationError):
        _ask_mobile(world)
    assert DataRequest.objects.count() == 1


def test_an_erasure_of_a_party_members_record_is_refused_with_the_legal_reason(
        world, django_capture_on_commit_callbacks):
    staff = world.users["community_secretary"]
    asked = services.ask(person=world.users["member"], kind="erasure", subject=Subject.MEMBER, reason="请删除我的信息")
    before = Member.objects.filter(pk=world.member_a.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        services.decide(data_request=asked, accept=True, reason="同意", by=staff)
    assert "party member" in " ".join(refused.value.messages)
    # The decision page proposes the refusal with the legal reason.
    form = _client(staff).get(reverse("privacy:request", args=[asked.pk])).context["form"]
    assert form.initial["decision"] == "refuse" and "第四十七条" in form.initial["reason"]

    with translation.override("en"):  # the page above left Chinese active
        legal_reason = str(services.ARCHIVE_REASON)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide(data_request=asked, accept=False, reason=legal_reason, by=staff)

    assert decided.status == RequestStatus.REFUSED and decided.decision_reason == legal_reason
    assert "PIPL art. 47" in legal_reason
    assert Member.objects.filter(pk=world.member_a.pk).values().get() == before
    assert not Anonymisation.objects.exists()
    assert Notification.objects.filter(user=world.users["member"]).count() == 1


def test_an_erasure_of_a_residents_record_anonymises_it_and_her_requests(world):
    made = request_in(world, resident=world.resident_a, phone="13912345678", address="幸福路8号")
    asked = services.ask(person=world.users["resident"], kind="erasure", subject=Subject.RESIDENT,
                         reason="已搬离，请删除")

    services.decide(data_request=asked, accept=True, reason="符合删除条件", by=world.users["community_staff"])

    resident = Resident.objects.get(pk=world.resident_a.pk)
    assert (resident.name, resident.phone, resident.user_id, resident.id_number) == (ANONYMISED, "", None, None)
    made.refresh_from_db()
    assert (made.contact_phone, made.address, made.text, made.resident_id) == ("", "", ANONYMISED, None)
    assert set(Anonymisation.objects.values_list("cause", "data_request", flat=False)) == {
        (Cause.ERASURE, asked.pk)}
    assert Anonymisation.objects.count() == 2
    # The person still sees the outcome.
    assert DataRequest.objects.get(pk=asked.pk).status == RequestStatus.ACCEPTED
    assert Request.objects.filter(pk=made.pk, category=made.category).exists()


def test_a_decided_request_cannot_be_decided_again(world):
    asked = _ask_mobile(world)
    services.decide(data_request=asked, accept=False, reason="原号码无误", by=world.users["community_staff"])
    response = _client(world.users["community_secretary"]).post(
        f"/api/privacy/requests/{asked.pk}/decision", {"accept": True, "reason": "改"},
        content_type="application/json")
    assert response.status_code == 409
    assert Member.objects.get(pk=world.member_a.pk).mobile == world.member_a.mobile


def test_a_request_not_decided_in_30_calendar_days_is_overdue(world):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 1, 5, 10)), tick=False):
        asked = _ask_mobile(world)
    assert asked.due_on.isoformat() == "2026-02-04"
    staff = world.users["community_staff"]
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 2, 4, 10)), tick=False):
        assert not _client(staff).get(reverse("privacy:queue")).context["rows"][0]["overdue"]
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 2, 5, 10)), tick=False):
        assert _client(staff).get(reverse("privacy:queue")).context["rows"][0]["overdue"]
        from gongzhi.core.registries import todo_sources

        source = next(s for s in todo_sources() if s.key == "privacy.requests")
        assert source.count(staff) == 1 and source.items(staff, 5)[0].overdue


def test_the_api_asks_and_lists_ones_own_requests_in_the_one_paging_shape(world):
    client = _client(world.users["member"])
    response = client.post("/api/privacy/requests", {"kind": "correction", "subject": "member", "field": "address",
                                                     "proposed_value": "幸福路9号", "reason": "搬家"},
                           content_type="application/json")
    assert response.status_code == 201
    listed = client.get("/api/privacy/requests").json()
    assert listed["count"] == 1 and listed["items"][0]["proposed_value"] == "幸福路9号"
    queue = _client(world.users["community_staff"]).get("/api/privacy/queue").json()
    assert queue["count"] == 1 and queue["items"][0]["proposed_value"] == "幸****"


def test_the_download_of_ones_own_data_lists_who_revealed_it_and_when(world):
    staff = world.users["community_staff"]
    _client(staff).post(reverse("members:reveal", args=[world.member_a.pk]))

    data = json.loads(_client(world.users["member"]).get(reverse("accounts:my_data_download")).content)

    assert [(r["who"], r["action"]) for r in data["reveals"]] == [(str(staff), "members.member.reveal")]
    assert data["reveals"][0]["when"]


def test_my_data_offers_the_requests_and_shows_them(world):
    _ask_mobile(world)
    page = _client(world.users["member"]).get(reverse("accounts:my_data")).content.decode()
    assert reverse("privacy:mine") in page and "换了手机号" in page


def test_the_queue_costs_the_same_queries_for_5_or_40_requests(world, django_assert_max_num_queries):
    from tests.factories.core import MemberFactory, UserFactory

    def add(n):
        for i in range(n):
            user = UserFactory(username=f"p{DataRequest.objects.count()}-{i}")
            MemberFactory(home_org=world.branch_a, community=world.community_a, user=user)
            services.ask(person=user, kind="correction", subject=Subject.MEMBER, field="address",
                         proposed_value=f"幸福路{i}号", reason="搬家")

    staff = _client(world.users["community_staff"])
    add(5)
    with django_assert_max_num_queries(14):
        assert staff.get(reverse("privacy:queue")).status_code == 200
    add(35)
    with django_assert_max_num_queries(14):
        page = staff.get(reverse("privacy:queue"))
    assert len(page.context["rows"]) == 25
    assert len(selectors.queue(world.users["community_staff"])) == 40
