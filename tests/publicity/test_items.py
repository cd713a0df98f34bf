"""An item's life on the board: drafted, approved by someone other than its author, published, withdrawn
with the reason and corrected; every refusal clear, nothing half-written, never a 500."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongzhi.core.models import AuditEvent
from gongzhi.publicity import services
from gongzhi.publicity.models import Item, ItemAttachment, ItemEvent, ItemStatus

from . import factories


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


_post = factories.form_post


def _errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def test_an_item_goes_from_draft_to_the_board_through_the_organizations_approval(world, client_for):
    staff, secretary = client_for("community_staff"), client_for("community_secretary")
    response = _post(staff, f"/publicity/boards/{world.community_a.pk}/new/", {
        "category": "affairs", "title": "停车收费标准公示", "body": "每月100元。",
        "visible_from": timezone.localdate().isoformat()})
    item = Item.objects.get(title="停车收费标准公示")
    assert response.status_code == 302 and item.status == ItemStatus.DRAFT
    public = f"/publicity/c/{world.community_a.code}/"
    assert "停车收费标准公示" not in client_for("anonymous").get(public).content.decode()
    _post(staff, f"/publicity/items/{item.pk}/step/", {"action": "submit"})
    _post(secretary, f"/publicity/items/{item.pk}/step/", {"action": "approve", "publish_now": "on"})
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.approved_by == world.users["community_secretary"]
    assert list(item.events.values_list("kind", flat=True)) == ["drafted", "submitted", "approved", "published"]
    assert "停车收费标准公示" in client_for("anonymous").get(f"/publicity/c/{world.community_a.code}/").content.decode()
    assert AuditEvent.objects.filter(action="publicity.item.approve", object_id=str(item.pk)).exists()


def test_an_item_published_before_approval_is_refused_everywhere(world, client_for):
    draft = factories.item(world, status=ItemStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        services.publish_approved(item=draft, by=world.users["community_secretary"])
    assert error.value.code == "not_approved"
    page = _post(client_for("community_staff"), f"/publicity/items/{draft.pk}/step/", {"action": "publish"},
                 follow=True)
    assert page.status_code == 200 and len(_errors(page)) == 1
    api = factories.api_post(client_for("community_staff"), f"/api/publicity/items/{draft.pk}/steps",
                             {"action": "publish"})
    assert api.status_code == 409 and api.json()["detail"] == error.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == ItemStatus.PENDING and draft.published_at is None
    assert not draft.events.filter(kind="published").exists()
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=draft.pk).update(status=ItemStatus.PUBLISHED, published_at=timezone.now())


def test_the_author_cannot_approve_his_or_her_own_item(world, client_for):
    own = factories.item(world, status=ItemStatus.PENDING, author=world.users["community_secretary"])
    response = _post(client_for("community_secretary"), f"/publicity/items/{own.pk}/step/", {"action": "approve"},
                     follow=True)
    assert response.status_code == 200 and len(_errors(response)) == 1
    own.refresh_from_db()
    assert own.status == ItemStatus.PENDING
    api = factories.api_post(client_for("community_secretary"), f"/api/publicity/items/{own.pk}/steps",
                             {"action": "approve"})
    assert api.status_code == 409
    services.approve_item(item=own, by=world.users["street_admin"])
    assert Item.objects.get(pk=own.pk).status == ItemStatus.APPROVED


def test_a_withdrawn_item_cannot_be_edited_and_keeps_its_history(world, client_for):
    item = factories.item(world, status=ItemStatus.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        services.update_item(item=item, category="finance", title="改过", body="改过", visible_from=item.visible_from,
                             by=world.users["community_staff"])
    assert error.value.code == "withdrawn"
    staff = client_for("community_staff")
    edit = staff.get(f"/publicity/items/{item.pk}/edit/", follow=True)
    assert edit.status_code == 200 and len(_errors(edit)) == 1
    posted = _post(staff, f"/publicity/items/{item.pk}/edit/", {
        "category": "finance", "title": "改过", "body": "改过", "visible_from": item.visible_from.isoformat()})
    assert posted.status_code == 302
    attach = _post(staff, f"/publicity/items/{item.pk}/attach/", {"file": factories.pdf()})
    assert attach.status_code == 302 and not ItemAttachment.objects.filter(item=item).exists()
    item.refresh_from_db()
    assert item.title != "改过" and item.status == ItemStatus.WITHDRAWN
    assert list(item.events.values_list("kind", flat=True)) == [
        "drafted", "submitted", "approved", "published", "withdrawn"]
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the trigger's error differs by database
        ItemEvent.objects.filter(item=item).update(note="抹掉")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        ItemEvent.objects.filter(item=item).delete()


def test_a_published_item_is_corrected_not_edited(world):
    item = factories.item(world, status=ItemStatus.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        services.update_item(item=item, category="finance", title="x", body="x", visible_from=item.visible_from,
                             by=world.users["community_staff"])
    assert error.value.code == "published"
    with pytest.raises(ValidationError):
        services.withdraw_item(item=item, by=world.users["community_secretary"], reason="  ")
    services.withdraw_item(item=item, by=world.users["community_secretary"], reason="金额有误")
    correction = services.prepare_correction(item=item, by=world.users["community_staff"])
    again = services.prepare_correction(item=item, by=world.users["community_staff"])
    assert correction.pk == again.pk and correction.replaces_id == item.pk
    assert correction.status == ItemStatus.DRAFT and correction.body == item.body


def test_an_attachment_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(world, client_for, settings,
                                                                                 tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    draft = factories.item(world, status=ItemStatus.DRAFT)
    staff = client_for("community_staff")
    fake = SimpleUploadedFile("经费明细.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    response = _post(staff, f"/publicity/items/{draft.pk}/attach/", {"file": fake}, follow=True)
    assert response.status_code == 200 and "经费明细.pdf" in _errors(response)[0]
    for upload in (SimpleUploadedFile("照片.jpg", factories.pdf().read(), "image/jpeg"),
                   SimpleUploadedFile("script.html", b"<script>alert(1)</script>", "text/html"),
                   SimpleUploadedFile("empty.pdf", b"", "application/pdf")):
        with pytest.raises(ValidationError):
            services.add_attachment(item=draft, upload=upload, by=world.users["community_staff"])
    assert not ItemAttachment.objects.exists()
    assert not any(tmp_path.rglob("*"))
    services.add_attachment(item=draft, upload=factories.xlsx(), by=world.users["community_staff"])
    services.add_attachment(item=draft, upload=factories.png(), by=world.users["community_staff"])
    assert sorted(ItemAttachment.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "image/png"]


def test_a_zip_bomb_dressed_as_a_spreadsheet_is_refused(world, monkeypatch):
    from gongzhi.publicity import uploads

    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 10_000)
    draft = factories.item(world, status=ItemStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.add_attachment(item=draft, upload=factories.xlsx(bomb=True), by=world.users["community_staff"])
    assert error.value.code == "unpacked_size"


def test_bad_dates_and_periods_are_clear_refusals(world, client_for):
    staff = client_for("community_staff")
    url = f"/publicity/boards/{world.community_a.pk}/new/"
    today = timezone.localdate()
    cases = [
        {"category": "party", "title": "x", "body": "x", "visible_from": today.isoformat(),
         "visible_until": (today - timedelta(days=1)).isoformat()},
        {"category": "party", "title": "x", "body": "x", "visible_from": "1899-01-01"},
        {"category": "party", "title": "x", "body": "x", "visible_from": today.isoformat(),
         "catalogue_key": "finance.dues_funds"},
        {"category": "party", "title": "x", "body": "x", "visible_from": today.isoformat(),
         "catalogue_key": "finance.dues_funds", "period": "month:2026-01-01:2026-01-31"},
        {"category": "party", "title": "x", "body": "x", "visible_from": today.isoformat(),
         "catalogue_key": "no.such.entry"},
    ]
    for data in cases:
        assert _post(staff, url, data).status_code == 400, data
    assert not Item.objects.exists()
    api = factories.api_post(staff, "/api/publicity/items", {
        "organization_id": world.community_a.pk, "title": "x", "body": "x", "visible_from": today.isoformat(),
        "catalogue_key": "meetings.appraisal", "period_start": "2026-03-01"})
    assert api.status_code == 201
    assert Item.objects.get().period_start.isoformat() == "2026-01-01"
    bad = factories.api_post(staff, "/api/publicity/items", {
        "organization_id": world.community_a.pk, "title": "x", "body": "x", "visible_from": today.isoformat(),
        "period_start": "2026-03-01"})
    assert bad.status_code == 422


def test_files_of_a_draft_are_not_public(world, client_for):
    draft = factories.item(world, status=ItemStatus.DRAFT)
    attachment = services.add_attachment(item=draft, upload=factories.pdf(), by=world.users["community_staff"])
    code = world.community_a.code
    anonymous = client_for("anonymous")
    assert anonymous.get(f"/publicity/c/{code}/items/{draft.pk}/").status_code == 404
    assert anonymous.get(f"/publicity/c/{code}/items/{draft.pk}/files/{attachment.pk}/").status_code == 404
    assert client_for("supervisor").get(f"/publicity/items/{draft.pk}/files/{attachment.pk}/").status_code == 200


def test_the_supervisor_reads_the_board_but_changes_nothing(world, client_for):
    item = factories.item(world, status=ItemStatus.PENDING)
    supervisor = client_for("supervisor")
    page = supervisor.get(f"/publicity/items/{item.pk}/")
    assert page.status_code == 200 and 'value="approve"' not in page.content.decode()
    assert _post(supervisor, f"/publicity/items/{item.pk}/step/", {"action": "approve"}).status_code == 404
    assert _post(supervisor, f"/publicity/boards/{world.community_a.pk}/new/", {
        "category": "party", "title": "x", "body": "x", "visible_from": "2026-01-01"}).status_code == 404
    assert Item.objects.get(pk=item.pk).status == ItemStatus.PENDING
