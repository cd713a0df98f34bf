"""Complaints and reports: an anonymous one holds nothing that leads back to the person and is followed with a
secret receipt; every complaint is handled by the committee and the level above and is invisible to the
person it names, at every page and API operation; identity requests are refused; floods are refused."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongzhi.accounts.models import RoleKind
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.supervision import services
from gongzhi.supervision.models import Complaint, ComplaintStatus
from tests.factories import RoleFactory
from tests.publicity.factories import api_post, form_post

from . import factories


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _complain(client, world, **data):
    secretary_role = world.users["community_secretary"].roles.get()
    payload = {"kind": "report", "concerning": f"role:{secretary_role.pk}",
               "text": "社区采购慰问品没有比价，价格偏高，请核实。", "anonymous": "on", **data}
    return form_post(client, reverse("supervision:complain", kwargs={"code": world.community_a.code}), payload)


def test_an_anonymous_complaint_stores_nothing_that_leads_back_to_the_person(world, client_for,
                                                                          django_capture_on_commit_callbacks):
    client = client_for("resident")  # logged in, yet choosing to stay anonymous
    with django_capture_on_commit_callbacks(execute=True):
        response = _complain(client, world, contact_phone="13900009999", contact_name="孙丽")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    complaint = Complaint.objects.get()
    receipt = response.context["receipt"]
    assert complaint.anonymous and complaint.submitted_by is None
    assert complaint.contact_name == "" and complaint.contact_phone == ""
    assert complaint.subject_user == world.users["community_secretary"]
    assert receipt not in str(Complaint.objects.values().get()) and complaint.receipt_digest == services.digest_of(
        receipt)
    # No audit row, notification or event carries the complainant's account or address.
    assert not AuditEvent.objects.filter(actor=world.users["resident"]).exists()
    assert not AuditEvent.objects.filter(object_type="supervision.complaint").exists()
    assert not Notification.objects.filter(user=world.users["resident"]).exists()
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["supervisor"]
    # The complainant follows it with the receipt, sent by POST (never in an address).
    tracked = form_post(client_for("anonymous"), reverse("supervision:track"), {"receipt": receipt.lower()})
    assert tracked.status_code == 200 and tracked.context["complaint"] == complaint
    assert client_for("anonymous").get(reverse("supervision:track"), {"receipt": receipt}).context["complaint"] \
        is None
    # The database refuses an anonymous complaint that holds an identity.
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(contact_phone="13900009999")


def test_a_named_complaint_is_linked_to_its_author_and_shown_in_his_or_her_data(world, client_for):
    client = client_for("resident")
    response = _complain(client, world, anonymous="")
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.submitted_by == world.users["resident"] and not complaint.anonymous
    assert AuditEvent.objects.filter(actor=world.users["resident"], action="supervision.complaint.submit").exists()
    assert complaint.reference in client.get("/accounts/me/data/").content.decode()


def test_a_visitor_who_is_not_anonymous_leaves_a_phone(world, client_for):
    anonymous = client_for("anonymous")
    assert _complain(anonymous, world, anonymous="").status_code == 400
    assert _complain(anonymous, world, anonymous="", contact_phone="1234").status_code == 400
    assert _complain(anonymous, world, text="太短").status_code == 400
    assert _complain(anonymous, world, concerning=f"org:{world.community_x.pk}").status_code == 400
    assert _complain(anonymous, world, concerning="role:999999").status_code == 400
    assert not Complaint.objects.exists()
    response = _complain(anonymous, world, anonymous="", contact_phone="13900001111", contact_name="老王")
    assert response.status_code == 200
    assert Complaint.objects.get().contact_phone == "13900001111"


def test_a_flood_of_complaints_from_one_client_is_refused(world, client_for):
    anonymous = client_for("anonymous")
    codes = [_complain(anonymous, world, text=f"第{n}次反映：楼道堆物无人处理。").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Complaint.objects.count() == 3


def _every_complaint_url(complaint) -> list[tuple[str, str, dict]]:
    pk = complaint.pk
    return [("get", reverse("supervision:complaint", args=[pk]), {}),
            ("post", reverse("supervision:complaint_step", args=[pk]), {"action": "take_up"}),
            ("post", reverse("supervision:complaint_step", args=[pk]), {"action": "note", "note": "x"}),
            ("post", reverse("supervision:complaint_step", args=[pk]), {"action": "conclude", "conclusion": "x"}),
            ("post", reverse("supervision:complaint_reveal", args=[pk]), {})]


def _api(complaint) -> list[tuple[str, str, dict]]:
    pk = complaint.pk
    return [("get", f"/api/supervision/complaints/{pk}", {}),
            ("post", f"/api/supervision/complaints/{pk}/steps", {"action": "take_up"}),
            ("post", f"/api/supervision/complaints/{pk}/steps", {"action": "conclude", "text": "x"}),
            ("post", f"/api/supervision/complaints/{pk}/reveal", {})]


def _assert_invisible(client, complaint):
    for method, url, data in _every_complaint_url(complaint):
        response = client.get(url) if method == "get" else form_post(client, url, data)
        assert response.status_code == 404, (method, url)
    for method, url, data in _api(complaint):
        response = client.get(url) if method == "get" else api_post(client, url, data)
        assert response.status_code in (403, 404), (method, url)
    for url in ("/supervision/", "/supervision/complaints/", "/supervision/complaints/export/",
                "/supervision/audit/", "/api/supervision/complaints", "/api/supervision/audit",
                "/accounts/me/data/", reverse("core:notifications")):
        response = client.get(url)
        if response.status_code == 200:
            body = response.content.decode()
            assert complaint.reference not in body and complaint.text not in body, url
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and not complaint.events.exists()


def test_a_complaint_is_invisible_to_the_person_it_names_everywhere(world, client_for,
                                                                   django_capture_on_commit_callbacks):
    # The community secretary also sits on the committee: still he or she never sees a complaint naming him.
    RoleFactory(user=world.users["community_secretary"], organization=world.community_a, kind=RoleKind.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = factories.complaint(world, subject="community_secretary")
    _assert_invisible(client_for("community_secretary"), complaint)
    assert not Notification.objects.filter(user=world.users["community_secretary"]).exists()
    handler = client_for("supervisor")
    assert handler.get(reverse("supervision:complaint", args=[complaint.pk])).status_code == 200
    assert client_for("street_admin").get(reverse("supervision:complaint", args=[complaint.pk])).status_code == 200


def test_a_complaint_naming_the_supervisor_goes_to_the_street(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = factories.complaint(world, subject="supervisor")
    form_post(client_for("street_admin"), reverse("supervision:complaint_step", args=[complaint.pk]),
              {"action": "take_up"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING
    # The street's handling is audited, and the audit log does not show it to the person named.
    assert AuditEvent.objects.filter(object_type="supervision.complaint", object_id=str(complaint.pk)).exists()
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["street_admin"]
    supervisor = client_for("supervisor")
    assert supervisor.get(reverse("supervision:complaint", args=[complaint.pk])).status_code == 404
    audit = supervisor.get("/supervision/audit/").content.decode()
    assert complaint.reference not in audit


def test_the_level_above_handles_a_complaint_about_a_branch_not_the_branch(world, client_for):
    complaint = factories.complaint(world, organization=world.branch_a, subject="branch_secretary_a")
    assert set(Complaint.objects.handled_by(world.users["community_secretary"])) == {complaint}
    assert not Complaint.objects.handled_by(world.users["branch_secretary_a"]).exists()
    assert not Complaint.objects.handled_by(world.users["community_staff"]).exists()
    assert not Complaint.objects.handled_by(world.users["foreign_secretary"]).exists()


def test_the_identity_behind_an_anonymous_complaint_is_refused_on_every_channel(world, client_for):
    complaint = factories.complaint(world, subject="community_secretary")
    supervisor = client_for("supervisor")
    page = form_post(supervisor, reverse("supervision:complaint_reveal", args=[complaint.pk]))
    assert page.status_code == 409
    api = api_post(supervisor, f"/api/supervision/complaints/{complaint.pk}/reveal")
    with pytest.raises(ValidationError) as error:
        services.reveal_contact(complaint=complaint, by=world.users["supervisor"])
    assert error.value.code == "anonymous"
    assert api.status_code == 409 and api.json()["detail"] == error.value.messages[0]
    detail = supervisor.get(f"/api/supervision/complaints/{complaint.pk}").json()
    assert detail["anonymous"] is True and not {"submitted_by", "contact_name", "contact_phone"} & set(detail)
    refused = AuditEvent.objects.filter(action="supervision.complaint.reveal", success=False)
    assert refused.count() == 3


def test_a_named_complainants_contact_is_revealed_by_a_logged_post(world, client_for):
    complaint = factories.complaint(world, anonymous=False, phone="13900002222", subject="community_secretary")
    supervisor = client_for("supervisor")
    page = supervisor.get(reverse("supervision:complaint", args=[complaint.pk])).content.decode()
    assert "13900002222" not in page
    revealed = form_post(supervisor, reverse("supervision:complaint_reveal", args=[complaint.pk]))
    assert revealed.status_code == 200 and "13900002222" in revealed.content.decode()
    assert AuditEvent.objects.filter(action="supervision.complaint.reveal", success=True,
                                     actor=world.users["supervisor"]).count() == 1


def test_the_export_holds_no_identity_of_anonymous_complainants_and_is_logged(world, client_for):
    factories.complaint(world, subject="community_secretary", text="=HYPERLINK(\"http://x\") 采购价格偏高，请核实。")
    factories.complaint(world, anonymous=False, phone="13900003333")
    response = client_for("supervisor").get("/supervision/complaints/export/")
    body = response.content.decode("utf-8-sig")
    assert "13900003333" not in body and "139****3333" in body
    assert "'=HYPERLINK" in body
    assert AuditEvent.objects.filter(action="supervision.complaint.export", detail__rows=2).exists()


def test_handling_replies_reach_the_complainant_and_notes_do_not(world, client_for):
    complaint, receipt = factories.complaint_with_receipt(world)
    supervisor = client_for("supervisor")
    url = reverse("supervision:complaint_step", args=[complaint.pk])
    form_post(supervisor, url, {"action": "take_up"})
    form_post(supervisor, url, {"action": "note", "note": "内部：先调取网格员工作记录"})
    form_post(supervisor, url, {"action": "note", "note": "已受理，正在核实。", "reply": "on"})
    form_post(supervisor, url, {"action": "conclude", "conclusion": "经核实，已督促网格员限期回应。"})
    tracked = form_post(client_for("anonymous"), reverse("supervision:track"), {"receipt": receipt})
    html = tracked.content.decode()
    assert "已受理，正在核实。" in html and "经核实，已督促网格员限期回应。" in html and "内部" not in html
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONCLUDED and complaint.concluded_on is not None
    late = form_post(supervisor, url, {"action": "note", "note": "再补充"}, follow=True)
    assert late.status_code == 200 and complaint.events.count() == 4


def test_guessing_receipts_is_limited(world, client_for):
    client = client_for("anonymous")
    codes = [form_post(client, reverse("supervision:track"), {"receipt": f"WRONG-{n:04d}"}).status_code
             for n in range(21)]
    assert codes[:20] == [404] * 20 and codes[20] == 429


def test_the_public_complaint_form_names_posts_not_people(world, client_for):
    world.users["community_secretary"].display_name = "欧阳秀英"
    world.users["community_secretary"].save()
    html = client_for("anonymous").get(reverse("supervision:complain", kwargs={"code": world.community_a.code}))
    text = html.content.decode()
    assert "欧阳秀英" not in text and "欧某" in text
    assert world.users["supervisor"].display_name not in text
