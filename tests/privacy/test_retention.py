"""Retention: a closed request and a resident who moved away are anonymised on the day their period ends (not
the day before), the statistics' columns stay, party members' records are never touched, a second run changes
nothing, a dry run writes nothing, and each run leaves one audit row with its counts."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from gongzhi.core.checks import audit_retention_not_below_the_legal_minimum as audit_kept_long_enough
from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Member, Resident
from gongzhi.privacy import retention, services
from gongzhi.privacy.models import ANONYMISED, Anonymisation, Cause, Departure
from gongzhi.voice.models import Request, RequestEvent, Status
from tests.factories.core import ResidentFactory
from tests.voice.factories import request_in

pytestmark = pytest.mark.django_db
RULES = {"GONGZHI_RETENTION_REQUEST_YEARS": 3, "GONGZHI_RETENTION_RESIDENT_YEARS": 2,
         "GONGZHI_AUDIT_RETENTION_DAYS": 365}


def _at(day: date, hour=15):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _closed_request(world, closed_on: date, status=Status.CLOSED):
    req = request_in(world, resident=world.resident_a, address="幸福路8号3单元", phone="13912345678")
    Request.objects.filter(pk=req.pk).update(status=status, resolved_at=_at(closed_on), rating="satisfied",
                                             rating_comment="王师傅修得很快")
    RequestEvent.objects.create(request=req, kind="answered", note="已联系孙丽女士，明天上门。",
                                created_at=_at(closed_on))
    return Request.objects.get(pk=req.pk)


@override_settings(**RULES)
def test_a_closed_request_is_anonymised_on_the_anniversary_of_its_closing_not_the_day_before(world):
    req = _closed_request(world, date(2023, 5, 10))

    assert services.run_retention(today=date(2026, 5, 9))["voice_requests"] == 0
    req.refresh_from_db()
    assert req.text != ANONYMISED and req.contact_phone == "13912345678"

    assert services.run_retention(today=date(2026, 5, 10))["voice_requests"] == 1
    req.refresh_from_db()
    assert (req.text, req.address, req.contact_phone, req.resident_id, req.rating_comment) == (ANONYMISED, "", "",
                                                                                                 None, "")
    assert set(RequestEvent.objects.filter(request=req).exclude(note="").values_list("note", flat=True)) \
        <= {ANONYMISED}
    # What the statistics count stays.
    assert (req.category, req.status, req.community_id, req.rating, req.resolved_at) == (
        "environment", Status.CLOSED, world.community_a.pk, "satisfied", _at(date(2023, 5, 10)))
    assert Anonymisation.objects.get(model="voice.request", object_id=req.pk).cause == Cause.RETENTION


@override_settings(**RULES)
def test_an_open_request_is_never_anonymised_however_old(world):
    req = request_in(world, phone="13912345678")
    Request.objects.filter(pk=req.pk).update(created_at=_at(date(2015, 1, 1)))

    assert services.run_retention(today=date(2026, 5, 10))["voice_requests"] == 0
    req.refresh_from_db()
    assert req.contact_phone == "13912345678"


@override_settings(**RULES)
def test_a_resident_who_moved_away_is_anonymised_two_years_after_moving_and_a_party_member_never(world):
    moved = ResidentFactory(name="钱多多", community=world.community_a, household=world.household_a,
                            phone="13700002222")
    member_resident = ResidentFactory(name=world.member_b.name, community=world.community_a,
                                      household=world.household_b, member=world.member_b, phone="13600003333")
    members_before = list(Member.objects.order_by("pk").values())
    kept = (moved.community_id, moved.sex, moved.birth_year, moved.relation)
    for resident in (moved, member_resident):
        services.record_departure(resident=resident, moved_on=date(2024, 3, 1), by=world.users["community_staff"])

    assert services.run_retention(today=date(2026, 2, 28)) == {
        "voice_requests": 0, "departed_residents": 0, "wishes": 0, "opinions": 0, "care_records": 0, "complaints": 0,
        "accounts": 0, "kept_party_members": 0, "audit_past_retention": 0}
    counts = services.run_retention(today=date(2026, 3, 1))

    assert (counts["departed_residents"], counts["kept_party_members"]) == (1, 1)
    moved.refresh_from_db()
    assert (moved.name, moved.phone, moved.id_number, moved.household_id, moved.user_id) == (ANONYMISED, "", None,
                                                                                              None, None)
    assert (moved.community_id, moved.sex, moved.birth_year, moved.relation) == kept
    member_resident.refresh_from_db()
    assert (member_resident.name, member_resident.phone) == (world.member_b.name, "13600003333")
    assert list(Member.objects.order_by("pk").values()) == members_before


@override_settings(**RULES)
def test_a_second_run_changes_nothing_and_each_run_leaves_one_audit_row_with_its_counts(world):
    _closed_request(world, date(2022, 1, 5))
    services.run_retention(today=date(2026, 5, 10))
    anonymised = Anonymisation.objects.count()

    second = services.run_retention(today=date(2026, 5, 10))

    assert second["voice_requests"] == 0 and Anonymisation.objects.count() == anonymised == 1
    runs = list(AuditEvent.objects.filter(action="privacy.retention.run").order_by("pk"))
    assert [r.detail["voice_requests"] for r in runs] == [1, 0]
    assert runs[0].detail["day"] == "2026-05-10" and runs[0].detail["request_years"] == 3


@override_settings(**RULES)
def test_a_dry_run_counts_but_writes_nothing(world):
    req = _closed_request(world, date(2022, 1, 5))
    audits = AuditEvent.objects.count()

    assert services.run_retention(today=date(2026, 5, 10), dry_run=True)["voice_requests"] == 1

    req.refresh_from_db()
    assert req.contact_phone == "13912345678"
    assert AuditEvent.objects.count() == audits and not Anonymisation.objects.exists()


@override_settings(**RULES)
def test_the_audit_log_is_counted_past_its_period_but_never_deleted(world):
    from gongzhi.core import audit

    audit.record(actor=None, action="test.old.row")
    counted = services.run_retention(today=timezone.localdate() + timedelta(days=366))
    assert counted["audit_past_retention"] >= 1
    assert AuditEvent.objects.filter(action="test.old.row").exists()


def test_a_record_closed_on_29_february_is_due_on_1_march():
    assert retention.years_before(date(2025, 2, 28), 1) == date(2024, 2, 28)
    assert retention.years_before(date(2025, 3, 1), 1) == date(2024, 3, 1)
    assert retention.years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_an_audit_period_below_180_days_is_refused_and_180_is_allowed():
    with override_settings(GONGZHI_AUDIT_RETENTION_DAYS=179):
        assert [e.id for e in audit_kept_long_enough(None)] == ["gongzhi.E002"]
    with override_settings(GONGZHI_AUDIT_RETENTION_DAYS=180):
        assert audit_kept_long_enough(None) == []
    with override_settings(GONGZHI_AUDIT_RETENTION_DAYS=30):
        assert retention.rules().audit_days == 180


@override_settings(**RULES)
def test_the_command_and_the_task_run_the_same_pass(world, capsys):
    from gongzhi.privacy.tasks import run_retention

    req = _closed_request(world, date(2020, 6, 1))
    call_command("retention", "run", "--dry-run", "--date", "2026-05-10")
    assert "voice_requests: 1" in capsys.readouterr().out
    req.refresh_from_db()
    assert req.contact_phone == "13912345678"

    result = run_retention.enqueue("2026-05-10")

    assert result.return_value["voice_requests"] == 1
    req.refresh_from_db()
    assert req.contact_phone == ""
    call_command("retention", "run", "--date", "2026-05-10")
    assert "voice_requests: 0" in capsys.readouterr().out


@override_settings(**RULES)
def test_departures_are_recorded_once_per_resident_and_not_in_the_future(world):
    from django.core.exceptions import ValidationError

    staff = world.users["community_staff"]
    services.record_departure(resident=world.resident_a, moved_on=date(2025, 1, 1), by=staff)
    services.record_departure(resident=world.resident_a, moved_on=date(2025, 2, 1), by=staff)
    assert list(Departure.objects.values_list("moved_on", flat=True)) == [date(2025, 2, 1)]
    with pytest.raises(ValidationError):
        services.record_departure(resident=world.resident_a, moved_on=timezone.localdate() + timedelta(days=1),
                                  by=staff)
    assert Resident.objects.get(pk=world.resident_a.pk).name == "孙丽"
