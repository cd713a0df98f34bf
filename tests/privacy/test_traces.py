"""Erasure and retention reach every trace of a resident: besides the record and the requests, the small wishes,
the opinions on consultations, the care records' notes and the name and phone left on complaints are anonymised
(what the statistics count stays), each recorded as an Anonymisation with its cause; a party member's traces are
never touched."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from gongzhi.care.models import CareTag, Pairing, Visit
from gongzhi.core.models import AuditEvent
from gongzhi.privacy import services
from gongzhi.privacy.models import ANONYMISED, Anonymisation, Cause, Subject
from gongzhi.supervision.models import Complaint
from gongzhi.voice.models import Consultation, ConsultationOption, ConsultationStatus, Opinion, Wish, WishStatus
from tests.factories.core import ResidentFactory
from tests.supervision.factories import complaint

pytestmark = pytest.mark.django_db
RULES = {"GONGZHI_RETENTION_REQUEST_YEARS": 3, "GONGZHI_RETENTION_RESIDENT_YEARS": 2,
         "GONGZHI_AUDIT_RETENTION_DAYS": 365}


def _traces(world, resident, user=None):
    """A wish, an opinion, a care tag with a note, a visit with notes, and (from the account) a complaint."""
    today = date(2024, 1, 10)
    wish = Wish.objects.create(community=world.community_a, resident=resident, text="想要一台收音机，住3号楼",
                               status=WishStatus.CONFIRMED, claimed_by=world.member_a, created_by=user)
    topic = Consultation.objects.create(community=world.community_a, title=f"加装电梯{resident.pk}",
                                        description="意见", opens_on=today, closes_on=today + timedelta(days=7),
                                        status=ConsultationStatus.CLOSED)
    option = ConsultationOption.objects.create(consultation=topic, text="同意")
    opinion = Opinion.objects.create(consultation=topic, resident=resident, option=option, text="我住一楼，反对")
    tag = CareTag.objects.create(resident=resident, kind="alone", note="子女在外地，每周电话一次")
    pairing = Pairing.objects.create(member=world.member_a, resident=resident, started_on=today)
    visit = Visit.objects.create(pairing=pairing, visited_on=today, note="陪同就医", need="需要轮椅")
    made = complaint(world, anonymous=False, submitted_by=user, phone="13955556666") if user else None
    if made is not None:
        Complaint.objects.filter(pk=made.pk).update(contact_name="钱多多")
    return wish, opinion, tag, visit, made


def _assert_anonymised(world, wish, opinion, tag, visit, made):
    wish.refresh_from_db()
    assert (wish.text, wish.resident_id, wish.created_by_id) == (ANONYMISED, None, None)
    assert (wish.status, wish.community_id, wish.claimed_by_id) == (WishStatus.CONFIRMED, world.community_a.pk,
                                                                      world.member_a.pk)
    opinion.refresh_from_db()
    assert opinion.text == ANONYMISED and opinion.option_id is not None  # the supporters still count
    tag.refresh_from_db()
    assert (tag.note, tag.kind) == ("", "alone")
    visit.refresh_from_db()
    assert (visit.note, visit.need, visit.visited_on) == (ANONYMISED, ANONYMISED, date(2024, 1, 10))
    if made is not None:
        made.refresh_from_db()
        assert (made.submitted_by_id, made.contact_name, made.contact_phone) == (None, "", "")
        assert made.text and made.status == "received"  # the case itself stays (a supervision record)


@override_settings(**RULES)
def test_retention_anonymises_a_departed_residents_traces_on_the_day_and_never_a_party_members(world):
    from tests.factories.core import UserFactory

    account = UserFactory(username="qianduoduo")
    moved = ResidentFactory(name="钱多多", community=world.community_a, household=world.household_a, user=account)
    traces = _traces(world, moved, account)
    kept_resident = ResidentFactory(name=world.member_b.name, community=world.community_a,
                                    household=world.household_b, member=world.member_b)
    kept = _traces(world, kept_resident)
    for resident in (moved, kept_resident):
        services.record_departure(resident=resident, moved_on=date(2024, 3, 1), by=world.users["community_staff"])

    before = services.run_retention(today=date(2026, 2, 28))
    assert (before["wishes"], before["opinions"], before["care_records"], before["complaints"]) == (0, 0, 0, 0)
    assert Wish.objects.get(pk=traces[0].pk).text != ANONYMISED
    assert services.run_retention(today=date(2026, 3, 1), dry_run=True)["care_records"] == 2

    counts = services.run_retention(today=date(2026, 3, 1))

    assert (counts["departed_residents"], counts["kept_party_members"]) == (1, 1)
    assert (counts["wishes"], counts["opinions"], counts["care_records"], counts["complaints"]) == (1, 1, 2, 1)
    _assert_anonymised(world, *traces)
    # The account only the departed resident used is closed: no sign-in, no name, e-mail or mobile.
    assert counts["accounts"] == 1
    account.refresh_from_db()
    assert (account.username, account.display_name, account.email, account.mobile, account.is_active) == (
        f"anonymised-{account.pk}", "", "", None, False)
    assert not account.has_usable_password()
    wish, opinion, tag, visit, _none = kept
    for row in (wish, opinion, tag, visit):
        row.refresh_from_db()
    assert (wish.text, opinion.text, tag.note, visit.need) == ("想要一台收音机，住3号楼", "我住一楼，反对",
                                                              "子女在外地，每周电话一次", "需要轮椅")
    recorded = set(Anonymisation.objects.values_list("model", "object_id", "cause"))
    assert {(m, o.pk, Cause.RETENTION) for m, o in (("voice.wish", traces[0]), ("voice.opinion", traces[1]),
                                                     ("care.caretag", traces[2]), ("care.visit", traces[3]),
                                                     ("supervision.complaint", traces[4]),
                                                     ("members.resident", moved),
                                                     ("accounts.user", account))} <= recorded
    run = AuditEvent.objects.filter(action="privacy.retention.run").latest("pk")
    assert (run.detail["wishes"], run.detail["complaints"]) == (1, 1)
    # A second pass takes nothing again.
    again = services.run_retention(today=date(2026, 3, 1))
    assert (again["wishes"], again["opinions"], again["care_records"], again["complaints"]) == (0, 0, 0, 0)
    assert again["accounts"] == 0


@override_settings(**RULES)
def test_retention_never_closes_an_account_that_staff_or_a_party_member_uses(world):
    staff = world.users["supervisor"]  # a role besides a resident's
    moved = ResidentFactory(name="李四", community=world.community_a, household=world.household_a, user=staff)
    services.record_departure(resident=moved, moved_on=date(2024, 3, 1), by=world.users["community_staff"])

    counts = services.run_retention(today=date(2026, 3, 1))

    assert (counts["departed_residents"], counts["accounts"]) == (1, 0)
    staff.refresh_from_db()
    assert staff.is_active and staff.username == "supervisor" and staff.has_usable_password()
    moved.refresh_from_db()
    assert (moved.name, moved.user_id) == (ANONYMISED, None)


def test_an_accepted_erasure_reaches_the_residents_wishes_opinions_care_notes_and_complaints(world):
    traces = _traces(world, world.resident_a, world.users["resident"])
    asked = services.ask(person=world.users["resident"], kind="erasure", subject=Subject.RESIDENT,
                         reason="已搬离，请删除")

    services.decide(data_request=asked, accept=True, reason="符合删除条件", by=world.users["community_staff"])

    _assert_anonymised(world, *traces)
    rows = set(Anonymisation.objects.values_list("model", "object_id", "cause", "data_request"))
    for label, row in zip(("voice.wish", "voice.opinion", "care.caretag", "care.visit", "supervision.complaint"),
                          traces, strict=True):
        assert (label, row.pk, Cause.ERASURE, asked.pk) in rows
    decided = AuditEvent.objects.filter(action="privacy.request.decide").latest("pk")
    assert decided.detail["anonymised"]["voice.wish"] == 1 and decided.detail["anonymised"]["members.resident"] == 1
