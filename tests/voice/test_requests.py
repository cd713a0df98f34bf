from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.workdays import add_working_days
from gongzhi.orgs.models import UnitKind
from gongzhi.voice import services
from gongzhi.voice.models import Category, DeadlineRule, EventKind, Request, RoutingRule, Status

from .factories import post, request_in


@pytest.fixture
def world(world_copy):
    return world_copy


def test_a_visitor_submits_through_the_public_page_and_gets_an_unguessable_tracking_number(world, client_for):
    client = client_for("anonymous")
    url = reverse("voice:public_new", kwargs={"code": world.community_a.code})
    assert client.get(url).status_code == 200
    response = post(client, url, {"category": "safety", "text": "消防通道被电动车占用", "grid": world.grid_a.pk,
                                 "contact_phone": "139 0000 2222"})
    assert response.status_code == 200
    req = Request.objects.get()
    assert req.tracking_number in response.content.decode()
    assert len(req.tracking_number) >= 12 and not req.tracking_number.isdigit()
    assert req.contact_phone == "13900002222"
    assert req.handler == world.branch_a  # the grid's branch by default
    assert list(req.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]


def test_the_public_page_of_an_unknown_community_is_404(world, client_for):
    response = client_for("anonymous").get(reverse("voice:public_new", kwargs={"code": "nope"}))
    assert response.status_code == 404


def test_bad_input_shows_field_errors_and_writes_nothing(world, client_for):
    url = reverse("voice:public_new", kwargs={"code": world.community_a.code})
    response = post(client_for("anonymous"), url, {"category": "bogus", "text": "", "contact_phone": "12"})
    assert response.status_code == 200
    assert Request.objects.count() == 0
    assert "is-invalid" in response.content.decode()


def test_a_phone_number_may_submit_at_most_five_requests_an_hour(world, client_for):
    for _ in range(5):
        request_in(world, phone="13700000000")
    url = reverse("voice:public_new", kwargs={"code": world.community_a.code})
    response = post(client_for("anonymous"), url, {"category": "other", "text": "再来一条",
                                                  "contact_phone": "13700000000"})
    assert Request.objects.count() == 5
    assert "5" in response.content.decode() and "alert-danger" in response.content.decode()
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert request_in(world, phone="13700000000", now=later).pk


def test_a_logged_in_resident_submits_linked_to_their_record(world, client_for):
    client = client_for("resident")
    response = post(client, reverse("voice:resident_new"), {"category": "elderly_children", "text": "老人需要助餐",
                                                           "contact_phone": "13600001234"})
    assert response.status_code == 200
    req = Request.objects.get()
    assert req.resident == world.resident_a and req.community == world.community_a
    assert client.get(reverse("voice:detail", kwargs={"pk": req.pk})).status_code == 200


def test_staff_record_a_phone_call(world, client_for):
    response = post(client_for("community_staff"), reverse("voice:entry"), {
        "community": world.community_a.pk, "channel": "phone", "category": "facilities", "text": "健身器材损坏",
        "contact_phone": ""})
    req = Request.objects.get()
    assert response.status_code == 302 and req.channel == "phone"
    assert req.entered_by == world.users["community_staff"]


def test_tracking_shows_status_and_timeline_without_personal_data(world, client_for):
    req = request_in(world, resident=world.resident_a, phone="13811112222", address="3号楼2单元101室")
    services.reply(req, by=world.users["branch_secretary_a"], note="已派人查看")
    response = client_for("anonymous").get(reverse("voice:track"), {"number": req.tracking_number})
    text = response.content.decode()
    assert "已派人查看" in text and 'data-status="answered"' in text
    for secret in ("13811112222", "3号楼2单元101室", world.resident_a.name, "branch_secretary_a", "楼道灯坏了"):
        assert secret not in text


def test_an_unknown_tracking_number_gets_a_clear_message(world, client_for):
    response = client_for("anonymous").get(reverse("voice:track"), {"number": "doesnotexist"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_qr_page_draws_the_public_link(world, client_for):
    response = client_for("community_secretary").get(reverse("voice:qr", kwargs={"pk": world.community_a.pk}))
    assert "<svg" in response.content.decode()
    assert f"/voice/c/{world.community_a.code}/new/" in response.content.decode()


# --- routing and deadlines -----------------------------------------------------------------------------

def test_routing_prefers_the_grid_rule_then_the_community_rule(world):
    RoutingRule.objects.create(community=world.community_a, category=Category.SAFETY, handler=world.community_a)
    RoutingRule.objects.create(community=world.community_a, category=Category.SAFETY, grid=world.grid_b,
                               handler=world.branch_b)
    assert services.route(world.community_a, Category.SAFETY, world.grid_b) == world.branch_b
    assert services.route(world.community_a, Category.SAFETY, world.grid_a) == world.community_a
    assert services.route(world.community_a, Category.OTHER, None) == world.community_a


def test_property_matters_go_to_the_property_company(world):
    world.unit.kind = UnitKind.PROPERTY
    world.unit.save()
    assert services.route(world.community_a, Category.PROPERTY, world.grid_a) == world.unit_org


@pytest.mark.django_db
def test_resolution_deadline_counts_working_days_skipping_the_national_day_holiday():
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # a make-up working Sunday


def test_deadline_rules_of_the_community_override_the_street_and_the_defaults(world):
    assert services.limits_for(world.community_a, Category.SAFETY) == services.DEFAULTS[Category.SAFETY]
    DeadlineRule.objects.create(organization=world.street_a, category=Category.SAFETY, first_answer_hours=8,
                                resolution_days=3)
    assert services.limits_for(world.community_a, Category.SAFETY) == (8, 3)
    DeadlineRule.objects.create(organization=world.community_a, category=Category.SAFETY, first_answer_hours=2,
                                resolution_days=1)
    assert services.limits_for(world.community_a, Category.SAFETY) == (2, 1)


def test_handlers_accept_reply_resolve_and_transfer_each_leaving_a_step(world, client_for):
    req = request_in(world)
    client = client_for("branch_secretary_a")
    post(client, reverse("voice:accept", kwargs={"pk": req.pk}), {})
    post(client, reverse("voice:reply", kwargs={"pk": req.pk}), {"note": "明天维修"})
    post(client, reverse("voice:transfer", kwargs={"pk": req.pk}), {"to": world.branch_b.pk, "reason": "属二网格"})
    req.refresh_from_db()
    assert req.handler == world.branch_b and req.status == Status.ANSWERED
    post(client_for("branch_secretary_b"), reverse("voice:resolve", kwargs={"pk": req.pk}), {"note": "已修好"})
    req.refresh_from_db()
    assert req.status == Status.RESOLVED
    kinds = list(req.events.values_list("kind", "note"))
    assert kinds == [("submitted", ""), ("accepted", ""), ("answered", "明天维修"), ("transferred", "属二网格"),
                     ("resolved", "已修好")]
    assert req.events.get(kind="transferred").actor == world.users["branch_secretary_a"]


def test_transfer_without_a_reason_is_refused(world, client_for):
    req = request_in(world)
    post(client_for("branch_secretary_a"), reverse("voice:transfer", kwargs={"pk": req.pk}),
                                          {"to": world.branch_b.pk, "reason": ""})
    req.refresh_from_db()
    assert req.handler == world.branch_a


def test_supervisor_reads_but_cannot_handle(world, client_for):
    req = request_in(world)
    client = client_for("supervisor")
    assert client.get(reverse("voice:detail", kwargs={"pk": req.pk})).status_code == 200
    assert post(client, reverse("voice:accept", kwargs={"pk": req.pk}), {}).status_code == 404


def test_anonymous_requests_never_show_contact_or_resident_to_handlers(world, client_for):
    req = request_in(world, resident=world.resident_a, anonymous=True, phone="13822223333")
    for persona in ("branch_secretary_a", "community_secretary"):
        text = client_for(persona).get(reverse("voice:detail", kwargs={"pk": req.pk})).content.decode()
        assert "2223333" not in text and "3333" not in text and world.resident_a.name not in text
    named = request_in(world, resident=world.resident_a, phone="13822224444")
    text = client_for("branch_secretary_a").get(reverse("voice:detail", kwargs={"pk": named.pk})).content.decode()
    assert "138****4444" in text and "13822224444" not in text


def test_queue_is_scoped_filtered_and_bounded(world, client_for, django_assert_max_num_queries):
    for i in range(3):
        request_in(world, phone=f"1380000000{i}")
    request_in(world, grid="b", category=Category.SAFETY)
    request_in(world, world.community_x, grid="x")
    client = client_for("branch_secretary_a")
    text = client.get(reverse("voice:queue")).content.decode()
    assert text.count("data-request=") == 3
    secretary = client_for("community_secretary")
    with django_assert_max_num_queries(12):
        response = secretary.get(reverse("voice:queue"), {"category": "safety"})
    assert response.content.decode().count("data-request=") == 1
    for i in range(20):
        request_in(world, phone=f"1370000{i:04d}")
    with django_assert_max_num_queries(12):
        secretary.get(reverse("voice:queue"))


def test_overdue_filter_and_idempotent_escalation(world, client_for):
    old = timezone.make_aware(datetime(2025, 3, 3, 9, 0))
    late = request_in(world, now=old)
    fresh = request_in(world)
    assert services.escalate() == 1
    late.refresh_from_db()
    assert late.handler == world.community_a and late.escalations == 1
    assert services.escalate() == 0
    call_command("voice", "escalate")
    late.refresh_from_db()
    assert late.escalations == 1
    assert list(late.events.filter(kind=EventKind.ESCALATED).values_list("organization", flat=True)) == \
        [world.community_a.pk]
    text = client_for("community_secretary").get(reverse("voice:queue"), {"overdue": "1"}).content.decode()
    assert f'data-request="{late.pk}"' in text and f'data-request="{fresh.pk}"' not in text


def test_a_request_in_a_foreign_community_cannot_name_our_grid(world):
    with pytest.raises(ValidationError):
        request_in(world, world.community_x, grid="a")


def test_api_and_export_mask_phones_and_give_nothing_for_anonymous_requests(world, client_for):
    named = request_in(world, resident=world.resident_a, phone="13822225555")
    hidden = request_in(world, resident=world.resident_a, anonymous=True, phone="13822226666")
    client = client_for("community_secretary")
    rows = {r["id"]: r for r in client.get("/api/voice/requests").json()["items"]}
    assert rows[named.pk]["contact_phone"] == "138****5555" and rows[named.pk]["resident_name"] == "孙丽"
    assert rows[hidden.pk]["contact_phone"] == "" and rows[hidden.pk]["resident_name"] == ""
    one = client.get(f"/api/voice/requests/{hidden.pk}").json()
    assert one["contact_phone"] == "" and one["resident_name"] == ""
    csv_text = client.get(reverse("voice:export")).content.decode()
    assert "138****5555" in csv_text and "6666" not in csv_text and "13822225555" not in csv_text
    assert csv_text.count("孙丽") == 1


def test_the_property_company_handles_property_requests_routed_to_it(world, client_for):
    world.unit.kind = UnitKind.PROPERTY
    world.unit.save()
    req = request_in(world, category=Category.PROPERTY)
    client = client_for("unit_admin")
    assert f'data-request="{req.pk}"' in client.get(reverse("voice:queue")).content.decode()
    post(client, reverse("voice:resolve", kwargs={"pk": req.pk}), {"note": "电梯已维修"})
    req.refresh_from_db()
    assert req.status == Status.RESOLVED


def test_staff_figures_page_is_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for("street_admin")
    for size in (2, 20):
        for i in range(size):
            request_in(world, phone=f"1350000{size:02d}{i:02d}", category=Category.values[i % 8])
        for by in ("category", "community", "handler"):
            with django_assert_max_num_queries(10):
                client.get(reverse("voice:figures"), {"by": by})
