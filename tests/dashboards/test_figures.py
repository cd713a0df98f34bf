"""Every figure of the registry with a known answer on a small hand-built data set (community A, 2025).

The data: in community A three members are held at the end of 2025 (赵磊 and 钱明 from the world, and
新人 who joined in May 2025 and is still probationary), five people live in its two households; 孙红
(held by the tax office's branch) and 周到 (too) live there in service, and only 孙红 has reported.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.core.registries import AREAS, UNITS, figure, figures

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    from tests.conftest import build_world, shared_data

    with shared_data(django_db_blocker):
        w = build_world()
        _members(w)
        _meetings(w)
        _learning(w)
        _service_and_points(w)
        _voice(w)
        _care(w)
        yield w


def _members(w):
    from gongzhi.members.models import (
        MemberCategory,
        MemberStatus,
        Reporting,
        ReportingStatus,
        Standing,
        Transfer,
        TransferDirection,
        TransferStatus,
    )
    from tests.factories.core import MemberFactory

    w.newcomer = MemberFactory(name="新人", home_org=w.branch_a, community=w.community_a, joined_on=date(2025, 5, 1),
                               full_member_on=None, status=MemberStatus.PROBATIONARY, birth_date=date(2000, 1, 1),
                               probation_ends_on=date(2026, 5, 1), category=MemberCategory.STUDENT)
    MemberFactory(name="后来", home_org=w.branch_a, joined_on=date(2026, 3, 1))  # joined after 2025
    MemberFactory(name="调走", home_org=w.branch_a, standing=Standing.TRANSFERRED_OUT)
    w.unreported = MemberFactory(name="周到", home_org=w.unit_org, community=w.community_a,
                                 category=MemberCategory.IN_SERVICE)
    Reporting.objects.create(member=w.member_reported, community=w.community_a, status=ReportingStatus.ACCEPTED,
                             decided_at=at(date(2025, 6, 1)))
    Transfer.objects.create(member=w.member_x, direction=TransferDirection.INTERNAL, from_org=w.branch_x,
                            to_org=w.branch_a, status=TransferStatus.ACCEPTED, decided_at=at(date(2025, 4, 1)))
    Transfer.objects.create(member=w.member_a, direction=TransferDirection.INTERNAL, from_org=w.branch_a,
                            to_org=w.branch_b, status=TransferStatus.ACCEPTED, decided_at=at(date(2025, 4, 2)))
    Transfer.objects.create(member=w.member_b, direction=TransferDirection.OUT, from_org=w.branch_b,
                            external_org_name="外省某支部", letter_number="2025-018", status=TransferStatus.ACCEPTED,
                            decided_at=at(date(2025, 7, 1)))


def _meetings(w):
    from gongzhi.meetings.models import Appraisal, Grade, MeetingKind, MeetingStatus, Participant
    from tests.meetings.factories import held_meeting

    held_meeting(w.branch_a, kind=MeetingKind.GENERAL, day=date(2025, 2, 10))
    held_meeting(w.branch_a, kind=MeetingKind.COMMITTEE, day=date(2025, 3, 5), status=MeetingStatus.RECORDED)
    # A group's meeting counts for its branch.
    held_meeting(w.group_a1, kind=MeetingKind.THEME_DAY, day=date(2025, 2, 20))
    held_meeting(w.branch_b, kind=MeetingKind.LESSON, day=date(2025, 2, 21), status=MeetingStatus.PLANNED)
    held_meeting(w.branch_x, kind=MeetingKind.GENERAL, day=date(2025, 2, 10))  # foreign
    appraisal = Appraisal.objects.create(branch=w.branch_a, year=2025, status="confirmed",
                                         confirmed_at=at(date(2025, 12, 20)))
    for member, grade in ((w.member_a, Grade.EXCELLENT), (w.member_b, Grade.QUALIFIED), (w.newcomer, Grade.QUALIFIED)):
        Participant.objects.create(appraisal=appraisal, member=member, grade=grade)


def _learning(w):
    from gongzhi.learning.models import Enrolment, Session, TrainingClass
    from tests.learning.factories import make_programme

    programme, courses = make_programme(w.community_a, year=2025)
    done = TrainingClass.objects.create(organization=w.community_a, programme=programme, name="2025年第一期",
                                        category="in_service", starts_on=date(2025, 5, 1), ends_on=date(2025, 6, 30),
                                        required_hours=Decimal("8"))
    Enrolment.objects.create(training_class=done, member=w.member_a, completed_on=date(2025, 6, 30))
    Enrolment.objects.create(training_class=done, member=w.member_reported)
    Session.objects.create(training_class=done, course=courses.r1, held_on=date(2025, 5, 10), hours=Decimal("4"))
    later = TrainingClass.objects.create(organization=w.community_a, programme=programme, name="2026年第一期",
                                         category="retired", starts_on=date(2026, 1, 5), ends_on=date(2026, 2, 28),
                                         required_hours=Decimal("8"))
    Enrolment.objects.create(training_class=later, member=w.member_b)


def _service_and_points(w):
    from gongzhi.points.models import PointEntry, RuleCode
    from gongzhi.service.models import ActivityKind, CheckIn
    from tests.service.factories import activity

    held = activity(w.branch_a, kind=ActivityKind.ENVIRONMENT, starts_at=at(date(2025, 5, 1)),
                    ends_at=at(date(2025, 5, 1), 12))
    activity(w.branch_a, starts_at=at(date(2025, 5, 2)), ends_at=at(date(2025, 5, 2), 12), cancelled_at=timezone.now())
    activity(w.community_a, kind=ActivityKind.CULTURE, starts_at=at(date(2026, 1, 2)), ends_at=at(date(2026, 1, 2), 12))
    CheckIn.objects.create(activity=held, member=w.member_a, checked_in_at=at(date(2025, 5, 1)), hours=Decimal("2"))
    CheckIn.objects.create(activity=held, member=w.member_b, checked_in_at=at(date(2025, 5, 1)), hours=Decimal("1.5"))

    def entry(key, member, points, code=RuleCode.SERVICE_HOUR, **extra):
        return PointEntry.objects.create(member=member, organization=w.branch_a, points=Decimal(points), code=code,
                                         idempotency_key=key, occurred_on=date(2025, 5, 1), **extra)

    entry("a", w.member_a, "10")
    wrong = entry("b", w.member_b, "5")
    entry("c", w.member_b, "-5", code=RuleCode.REVERSAL, reverses=wrong)
    spent = entry("d", w.member_a, "-8", code=RuleCode.REDEMPTION)
    entry("e", w.member_a, "8", code=RuleCode.REVERSAL, reverses=spent)


def _voice(w):
    from gongzhi.voice.models import Consultation, ConsultationStatus, Rating, Request, Wish

    def request(day, category="environment", **extra):
        return Request.objects.create(community=w.community_a, category=category, text="路灯坏了",
                                      created_at=at(day), first_answer_due=at(day + timedelta(days=1)),
                                      resolution_due=day + timedelta(days=5), **extra)

    request(date(2025, 3, 1), answered_at=at(date(2025, 3, 1), 15), resolved_at=at(date(2025, 3, 3)),
            status="resolved", rating=Rating.SATISFIED)
    request(date(2025, 4, 1), category="property", answered_at=at(date(2025, 4, 5)), resolved_at=at(date(2025, 4, 9)),
            status="resolved", rating=Rating.UNSATISFIED)
    request(date(2025, 5, 1))
    request(date(2026, 1, 1))
    Wish.objects.create(community=w.community_a, text="收音机", status="fulfilled", claimed_by=w.member_a,
                        fulfilled_at=at(date(2025, 9, 1)))
    Wish.objects.create(community=w.community_a, text="轮椅")
    for status in (ConsultationStatus.PUBLISHED, ConsultationStatus.DRAFT):
        Consultation.objects.create(community=w.community_a, title="加装电梯", description="意见",
                                    opens_on=date(2025, 8, 1), closes_on=date(2025, 8, 15), status=status)


def _care(w):
    from gongzhi.care.models import Pairing, Visit
    from tests.factories.core import ResidentFactory

    pairing = Pairing.objects.create(member=w.member_a, resident=w.resident_a, frequency_days=30,
                                     started_on=date(2025, 1, 1))
    for day in (date(2024, 12, 31), date(2025, 1, 20), date(2025, 3, 15), date(2025, 4, 10)):
        Visit.objects.create(pairing=pairing, visited_on=day)
    ended = Pairing.objects.create(member=w.member_b, resident=ResidentFactory(community=w.community_a),
                                   started_on=date(2025, 1, 1), ended_on=date(2025, 6, 1))
    Visit.objects.create(pairing=ended, visited_on=date(2026, 1, 5))


@pytest.fixture
def w(data, db):
    return SimpleNamespace(**vars(data))


def value(key, organization, period=YEAR):
    return figure(key).compute(organization, period)


def breakdown(key, organization, period=YEAR):
    return dict(figure(key).breakdown(organization, period))


def test_every_figure_declares_a_known_unit_and_area_and_a_unique_key():
    keys = [f.key for f in figures()]
    assert len(keys) == len(set(keys))
    assert all(f.unit in UNITS and f.area in AREAS for f in figures())


CONTRACT = {
    "members.total": ("people", "organization"), "members.probationary": ("people", "organization"),
    "members.share_of_residents": ("percent", "organization"), "members.age_bands": ("people", "organization"),
    "orgs.branches": ("count", "organization"), "orgs.groups": ("count", "organization"),
    "members.dual_reporting": ("people", "organization"), "members.dual_reporting_rate": ("percent", "organization"),
    "members.joined": ("people", "organization"), "members.transfers_in": ("people", "organization"),
    "members.transfers_out": ("people", "organization"),
    "meetings.held": ("count", "life"), "meetings.compliance": ("percent", "life"),
    "meetings.appraisal_grades": ("people", "life"),
    "learning.training_completion": ("percent", "education"), "learning.sessions": ("count", "education"),
    "service.activities": ("count", "service"), "service.participations": ("times", "service"),
    "service.hours": ("hours", "service"), "points.awarded": ("points", "service"),
    "points.activation_rate": ("percent", "service"),
    "voice.requests": ("count", "residents"), "voice.answered_on_time": ("percent", "residents"),
    "voice.resolved": ("percent", "residents"), "voice.satisfaction": ("percent", "residents"),
    "voice.wishes_fulfilled": ("count", "residents"), "voice.consultations": ("count", "residents"),
    "care.pairings": ("count", "care"), "care.visits": ("count", "care"), "care.visits_on_time": ("percent", "care"),
}


def test_the_keys_the_work_summary_reads_are_there_with_their_units_and_areas():
    found = {f.key: (f.unit, f.area) for f in figures()}
    assert {key: found.get(key) for key in CONTRACT} == CONTRACT


def test_members_held_at_the_end_of_the_year(w):
    from gongzhi.members.models import MemberCategory

    assert value("members.total", w.community_a) == 3
    assert value("members.total", w.branch_a) == 2
    assert breakdown("members.total", w.community_a) == {str(label): n for label, n in zip(
        MemberCategory.labels, [1, 1, 1, 0, 0, 0], strict=True)} | {}
    assert value("members.probationary", w.community_a) == 1
    assert value("members.probationary", w.community_a, Period.year(2024)) == 0  # had not joined yet
    assert value("members.share_of_residents", w.community_a) == Decimal("60.0")  # 3 of 5 residents


def test_age_bands_on_the_last_day(w):
    from gongzhi.members.selectors import AGE_BANDS

    bands = [str(label) for _key, label, *_rest in AGE_BANDS]
    assert breakdown("members.age_bands", w.community_a) == dict(zip(bands, [1, 2, 0, 0, 0], strict=True))


def test_organizations_dual_reporting_joining_and_transfers(w):
    assert value("orgs.branches", w.community_a) == 2
    assert value("orgs.groups", w.street_a) == 1
    assert value("members.dual_reporting", w.community_a) == 1
    assert value("members.dual_reporting_rate", w.community_a) == Decimal("50.0")
    assert value("members.dual_reporting", w.community_a, Period.month(2025, 5)) == 0  # accepted in June
    assert value("members.joined", w.community_a) == 1
    assert value("members.transfers_in", w.community_a) == 1  # from the foreign street; the internal one stays
    assert value("members.transfers_out", w.community_a) == 1
    assert value("members.transfers_in", w.branch_b) == 1


def test_meetings_compliance_and_grades(w):
    from gongzhi.meetings.models import Grade, MeetingKind

    assert value("meetings.held", w.community_a) == 3
    assert breakdown("meetings.held", w.community_a) == {str(MeetingKind.GENERAL.label): 1,
                                                          str(MeetingKind.COMMITTEE.label): 1,
                                                          str(MeetingKind.THEME_DAY.label): 1}
    # February 2025: owed are the monthly kinds — branch A's group meeting (it has a group), both branches'
    # theme days (no committee anywhere: none owed); the theme day of branch A was held by its group.
    february = Period.month(2025, 2)
    assert value("meetings.compliance", w.community_a, february) == Decimal("33.3")
    assert breakdown("meetings.compliance", w.community_a, february) == {
        str(MeetingKind.GROUP.label): Decimal("0.0"), str(MeetingKind.THEME_DAY.label): Decimal("50.0")}
    assert value("meetings.compliance", w.branch_a, february) == Decimal("50.0")
    assert value("meetings.appraisal_grades", w.community_a) == 3
    assert breakdown("meetings.appraisal_grades", w.community_a) == {
        str(Grade.EXCELLENT.label): 1, str(Grade.QUALIFIED.label): 2, str(Grade.BASIC.label): 0,
        str(Grade.UNQUALIFIED.label): 0}


def test_training_completion_and_sessions(w):
    assert value("learning.training_completion", w.community_a) == Decimal("50.0")
    assert value("learning.training_completion", w.community_a, Period.year(2024)) is None
    assert value("learning.sessions", w.community_a) == 1


def test_service_and_points(w):
    from gongzhi.service.models import ActivityKind

    assert value("service.activities", w.community_a) == 1
    assert breakdown("service.activities", w.community_a) == {str(ActivityKind.ENVIRONMENT.label): 1}
    assert value("service.participations", w.community_a) == 2
    assert value("service.hours", w.community_a) == Decimal("3.50")
    assert value("points.awarded", w.community_a) == Decimal("10.0")  # 10 + 5 − 5; the shop left out
    # Members held or living in community A: 赵磊, 钱明, 新人, 孙红, 周到, 后来; two served in 2025.
    assert value("points.activation_rate", w.community_a) == Decimal("33.3")


def test_residents_voice(w):
    assert value("voice.requests", w.community_a) == 3
    assert value("voice.answered_on_time", w.community_a) == Decimal("33.3")
    assert value("voice.resolved", w.community_a) == Decimal("66.7")
    assert value("voice.satisfaction", w.community_a) == Decimal("50.0")
    assert value("voice.wishes_fulfilled", w.community_a) == 1
    assert value("voice.consultations", w.community_a) == 1


def test_care(w):
    assert value("care.pairings", w.community_a) == 1
    assert value("care.pairings", w.community_a, Period.month(2025, 3)) == 2
    assert value("care.visits", w.community_a) == 3
    # 19 days after the visit of 31 December, on time; 54 days, late; 26 days, on time.
    assert value("care.visits_on_time", w.community_a) == Decimal("66.7")


def test_a_foreign_organization_counts_nothing_of_community_a(w):
    for key in ("members.total", "meetings.held", "service.activities", "voice.requests", "care.visits"):
        assert value(key, w.community_x) in (0, 1) and value(key, w.community_x) != value(key, w.community_a)


def test_every_figure_costs_a_bounded_number_of_queries(w, django_assert_max_num_queries):
    """Four queries per kind of meeting for compliance, a few for anything else; none grows with the data."""
    for item in figures():
        with django_assert_max_num_queries(30):
            item.compute(w.street_a, YEAR)
        if item.breakdown:
            with django_assert_max_num_queries(30):
                item.breakdown(w.street_a, YEAR)


GROUPED = ("members.total", "service.hours", "points.activation_rate", "service.activities", "meetings.held",
           "voice.requests")


@pytest.mark.parametrize("period", [YEAR, Period.month(2025, 5), Period.year(2024), Period.quarter(2025, 2)])
def test_the_grouped_forms_give_what_compute_gives_for_each_child(w, period, django_assert_max_num_queries):
    """``by_children`` (the dashboards' bars) equals ``compute`` child by child, in one query whatever the
    number of children; a member living in one community and held in another counts in both."""
    from gongzhi.orgs.models import Organization

    assert {f.key for f in figures() if f.by_children or f.by_months} >= set(GROUPED)
    for parent in (w.street_a, w.community_a):
        children = list(Organization.objects.filter(parent=parent, is_active=True).order_by("path"))
        for item in figures():
            if item.by_children is None:
                continue
            with django_assert_max_num_queries(1):
                grouped = item.by_children(parent, children, period)
            assert grouped == {c.pk: item.compute(c, period) for c in children}, (item.key, parent.name)


def test_the_grouped_forms_give_what_compute_gives_for_each_month(w, django_assert_max_num_queries):
    from gongzhi.dashboards.selectors import trend_months

    months = trend_months(Period.year(2025))
    for organization in (w.street_a, w.community_a, w.branch_a):
        for item in figures():
            if item.by_months is None:
                continue
            with django_assert_max_num_queries(1):
                grouped = item.by_months(organization, months)
            assert grouped == [item.compute(organization, m) for m in months], (item.key, organization.name)


def test_a_dashboard_snapshot_holds_what_each_figure_computes(w, django_assert_max_num_queries):
    """The snapshot the dashboard reads (computed in the background) holds exactly each figure's ``compute`` for
    the period and the one before, each month's value of the trend and each child's bar; the values shared by
    several figures (the request figures' one aggregate) are computed once, and the whole computation costs
    a bounded number of queries."""
    from django.core.cache import cache

    from gongzhi.dashboards import selectors
    from gongzhi.orgs.models import Organization

    for organization in (w.street_a, w.community_a):
        cache.clear()
        with django_assert_max_num_queries(400):
            data = selectors.compute(organization, YEAR)
        shown = selectors.present(organization, data)
        values = {v.figure.key: v for _area, vs in shown["areas"] for v in vs}
        assert set(values) == {f.key for f in selectors.applicable(organization)}
        for item in selectors.applicable(organization):
            assert values[item.key].value == item.compute(organization, YEAR), item.key
            assert values[item.key].previous == item.compute(organization, YEAR.previous()), item.key
        months = selectors.trend_months(YEAR)
        for series in shown["trend"]:
            item = figure(series.key.removeprefix("trend-"))
            assert series.rows[0][1] == [item.compute(organization, m) for m in months], series.key
        subs = list(Organization.objects.filter(parent=organization, is_active=True).exclude(kind="unit")
                    .order_by("path"))
        for series in shown["bars"]:
            item = figure(series.key.removeprefix("bars-"))
            assert series.labels == [c.name for c in subs]
            assert series.rows[0][1] == [item.compute(c, YEAR) if not item.kinds or c.kind in item.kinds else None
                                         for c in subs], series.key
        for series in shown["distributions"]:
            item = figure(series.key.removeprefix("dist-"))
            assert dict(zip(series.labels, series.rows[0][1], strict=True)) == breakdown(item.key, organization), \
                series.key


def test_figures_sharing_one_aggregate_compute_it_once_in_a_snapshot(w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongzhi.core.figures import sharing

    keys = ("voice.answered_on_time", "voice.resolved", "voice.satisfaction")
    with CaptureQueriesContext(connection) as alone:
        expected = [value(key, w.street_a) for key in keys]
    with sharing(), CaptureQueriesContext(connection) as shared:
        got = [value(key, w.street_a) for key in keys]
    assert got == expected and len(shared.captured_queries) == len(alone.captured_queries) // 3


NUMBERS = [0, 1, -1, 7, 999, 1000, 1234, -1234, 12345, 123456789, Decimal(0), Decimal("0.0"), Decimal("0.04"),
           Decimal("-0.04"), Decimal("0.05"), Decimal("0.25"), Decimal("12.5"), Decimal("-12.5"), Decimal("1234.56"),
           Decimal("1000"), Decimal("1000.0"), Decimal("-98765.43"), Decimal("99.95"), Decimal("123456789.9")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_figures_text_is_the_locales_number_format(language):
    """The dashboards write a number with the locale's separators looked up once per language: the same text as
    ``formats.number_format`` (rounded to a whole number, or to one place for a fraction), with each unit."""
    from django.utils import translation
    from django.utils.formats import number_format

    from gongzhi.dashboards.templatetags.dashboards import UNIT_SUFFIX, change, figure

    def expected(value):
        if isinstance(value, Decimal):
            places = 0 if value == value.to_integral_value() else 1
            return number_format(value.quantize(Decimal(1) if places == 0 else Decimal("0.1")), places,
                                 use_l10n=True, force_grouping=True)
        return number_format(value, 0, use_l10n=True, force_grouping=True)

    with translation.override(language):
        for value in NUMBERS:
            assert figure(value, "percent") == f"{expected(value)}%"
            for unit, suffix in UNIT_SUFFIX.items():
                if unit != "percent":
                    assert figure(value, unit) == f"{expected(value)} {suffix}".strip()
            if value:
                sign = "+" if value > 0 else "−"
                assert change(value, "people") == f"{sign}{expected(abs(value))}"
                assert change(value, "percent") == \
                    f"{sign}{expected(abs(value))} {translation.pgettext('percentage points', 'pts')}"
        assert figure(1234567, "count") == ("1,234,567" if language == "en" else "1234567")
