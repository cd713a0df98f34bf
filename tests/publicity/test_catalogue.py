"""The catalogue of what must be published and the overdue list, on a hand-made board with known answers.

Community A's board counts from 2025-07-01; today is 2026-05-20. The dues and funds disclosure (every
quarter, 15 days allowed) owes 2025 Q3 (published on 2025-10-10: on time), 2025 Q4 (published 2026-01-20:
late) and 2026 Q1 (not published: overdue since 2026-04-15); the appraisal results (every year, 31 days)
owe 2025 (overdue since 2026-01-31)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.points.models import OrgPointsSettings
from gongzhi.publicity import catalogue, services, stats
from gongzhi.publicity.models import Board, ItemStatus

from . import factories


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 20)
DUES = "finance.dues_funds"


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def publish_on(world, day, quarter=None, key=DUES, **kwargs):
    with time_machine.travel(_at(day), tick=False):
        period = Period.quarter(*quarter) if quarter else kwargs.pop("period", None)
        return factories.item(world, key=key, period=period, visible_from=day, **kwargs)


@pytest.fixture
def board(world):
    Board.objects.create(organization=world.community_a, opened_on=date(2025, 7, 1))
    publish_on(world, date(2025, 10, 10), (2025, 3))
    publish_on(world, date(2026, 1, 20), (2025, 4))
    return world


def _states(dues):
    return {(d.entry.key, d.period.label if d.period else d.obligation_title): d.status for d in dues}


def test_the_overdue_catalogue_gives_the_known_answers(board):
    dues = catalogue.dues_for([board.community_a], TODAY)
    assert _states(dues) == {
        (DUES, "2025年第3季度"): "on_time",
        (DUES, "2025年第4季度"): "late",
        (DUES, "2026年第1季度"): "overdue",
        ("meetings.appraisal", "2025年"): "overdue",
    }
    late = catalogue.overdue([board.community_a], TODAY)
    assert [(d.entry.key, d.due_on, d.days_overdue) for d in late] == [
        ("meetings.appraisal", date(2026, 1, 31), 109), (DUES, date(2026, 4, 15), 35)]


def test_a_community_without_board_settings_counts_from_the_first_of_january(world):
    dues = catalogue.dues_for([world.community_a], TODAY)
    assert {d.period.label for d in dues} == {"2026年第1季度"}


def test_a_street_setting_applies_below_and_the_community_can_override_it(board):
    services.set_rule(organization=board.street_a, key=DUES, frequency="quarter", due_days=30,
                      by=board.users["street_admin"])
    states = _states(catalogue.dues_for([board.community_a], TODAY))
    assert states[(DUES, "2025年第4季度")] == "on_time"  # due 2026-01-30 now
    assert states[(DUES, "2026年第1季度")] == "overdue"  # due 2026-04-30
    services.set_rule(organization=board.community_a, key="meetings.appraisal", frequency="year", due_days=31,
                      active=False, by=board.users["community_secretary"])
    assert [d.entry.key for d in catalogue.overdue([board.community_a], TODAY)] == [DUES]
    entry = catalogue.entry_for(board.community_a, DUES)
    assert entry.due_days == 30 and entry.set_by == board.street_a.name
    services.reset_rule(organization=board.street_a, key=DUES, by=board.users["street_admin"])
    assert catalogue.entry_for(board.community_a, DUES).due_days == 15


def test_points_rankings_are_owed_only_where_rankings_were_turned_on(board):
    keys = {e.key for e in catalogue.entries_for([board.community_a])[board.community_a.pk]}
    assert "points.rankings" not in keys
    OrgPointsSettings.objects.create(organization=board.street_a, rankings_visible_to_members=True)
    owed = [d for d in catalogue.dues_for([board.community_a], TODAY) if d.entry.key == "points.rankings"]
    assert [d.period.label for d in owed] == ["2025年第3季度", "2025年第4季度", "2026年第1季度"]


def test_a_withdrawn_item_meets_nothing_until_its_correction_is_published(board):
    wrong = publish_on(board, date(2026, 4, 10), (2026, 1))
    assert DUES not in {d.entry.key for d in catalogue.overdue([board.community_a], TODAY)}
    with time_machine.travel(_at(date(2026, 4, 12)), tick=False):
        services.withdraw_item(item=wrong, by=board.users["community_secretary"], reason="金额有误")
    assert _states(catalogue.dues_for([board.community_a], TODAY))[(DUES, "2026年第1季度")] == "overdue"
    with time_machine.travel(_at(date(2026, 4, 13)), tick=False):
        correction = services.prepare_correction(item=wrong, by=board.users["community_staff"])
        services.submit_item(item=correction, by=board.users["community_staff"])
        services.approve_item(item=correction, by=board.users["community_secretary"], publish_now=True)
    assert _states(catalogue.dues_for([board.community_a], TODAY))[(DUES, "2026年第1季度")] == "on_time"


def test_an_obligation_from_another_module_is_met_by_the_item_with_its_source(board):
    services.owe_publication(organization=board.community_a, catalogue_key="democracy.election",
                             source="democracy.election:7", title="社区党委换届选举结果", arises_on=date(2026, 5, 1))
    services.owe_publication(organization=board.community_a, catalogue_key="democracy.election",
                             source="democracy.election:7", title="社区党委换届选举结果", arises_on=date(2026, 5, 1))
    owed = [d for d in catalogue.overdue([board.community_a], TODAY) if d.source]
    assert [(d.title, d.due_on) for d in owed] == [("社区党委换届选举结果", date(2026, 5, 8))]
    with time_machine.travel(_at(date(2026, 5, 6)), tick=False):
        item = services.publish_item(organization=board.community_a, category="party", title="换届选举结果公示",
                                     body="当选委员：……", source="democracy.election:7",
                                     catalogue_key="democracy.election", by=board.users["community_staff"])
        assert item.status == ItemStatus.PENDING  # it waits for the organization's approval
        services.approve_item(item=item, by=board.users["community_secretary"], publish_now=True)
    assert not [d for d in catalogue.overdue([board.community_a], TODAY) if d.source]
    again = services.publish_item(organization=board.community_a, category="party", title="重复", body="…",
                                  source="democracy.election:7", by=board.users["community_staff"])
    assert again.pk == item.pk and again.title == "换届选举结果公示"


def test_a_custom_entry_of_the_community_is_owed_like_a_default(board):
    rule = services.add_custom_entry(organization=board.community_a, title="居务公开：季度通报", category="affairs",
                                     frequency="quarter", due_days=10, by=board.users["community_secretary"])
    owed = [d for d in catalogue.dues_for([board.community_a], TODAY) if d.entry.key == rule.key]
    assert [(d.period.label, d.due_on) for d in owed] == [
        ("2025年第3季度", date(2025, 10, 10)), ("2025年第4季度", date(2026, 1, 10)),
        ("2026年第1季度", date(2026, 4, 10))]
    services.reset_rule(organization=board.community_a, key=rule.key, by=board.users["community_secretary"])
    assert not [d for d in catalogue.dues_for([board.community_a], TODAY) if d.entry.key == rule.key]


def test_the_figures_count_publications_made_on_time(board):
    with time_machine.travel(_at(TODAY), tick=False):
        assert stats.published_on_time(board.community_a, Period.year(2025)) == Decimal("100.0")
        # 2026: 2025 Q4 late, appraisal 2025 and 2026 Q1 overdue: none on time.
        assert stats.published_on_time(board.street_a, Period.year(2026)) == Decimal("0.0")
        # On 31 March the appraisal results were overdue; 2025 Q4 had been published (late) in January.
        assert stats.overdue_at_end(board.community_a, Period.quarter(2026, 1)) == 1
        assert stats.overdue_at_end(board.community_a, Period.quarter(2026, 2)) == 2
        assert stats.items_published(board.street_a, Period.year(2025)) == 1
        assert stats.published_on_time(board.community_x, Period.year(2025)) is None


def test_the_overdue_page_lists_only_boards_in_scope(board, client_for):
    from tests.publicity.factories import item

    item(board, community=board.community_x, status=ItemStatus.DRAFT)
    with time_machine.travel(_at(TODAY), tick=False):
        response = client_for("supervisor").get("/publicity/overdue/")
        foreign = client_for("foreign_secretary").get("/publicity/overdue/")
    assert response.status_code == 200
    assert [d.organization for d in response.context["page"]] == [board.community_a, board.community_a]
    assert board.community_a not in [d.organization for d in foreign.context["page"]]


def test_the_board_page_shows_each_entrys_state(board, client_for):
    with time_machine.travel(_at(TODAY), tick=False):
        response = client_for("community_staff").get(f"/publicity/boards/{board.community_a.pk}/")
    html = response.content.decode()
    assert html.count('data-due="on_time"') == 1 and html.count('data-due="late"') == 1
    assert html.count('data-due="overdue"') == 2
    assert "catalogue_key=finance.dues_funds&amp;period=quarter:2026-01-01:2026-03-31" in html


def test_the_item_form_offers_the_periods_still_owed(board, client_for):
    with time_machine.travel(_at(TODAY), tick=False):
        response = client_for("community_staff").get(
            f"/publicity/boards/{board.community_a.pk}/new/?catalogue_key={DUES}",
            headers={"HX-Request": "true", "HX-Target": "period-field"})
    html = response.content.decode()
    assert 'id="period-field"' in html and "<form" not in html
    assert "2026年第1季度" in html and "2026年第2季度" in html and "2025年第3季度" not in html


def test_registering_a_default_replaces_it_and_refuses_nonsense():
    before = catalogue.DEFAULTS[DUES]
    try:
        catalogue.register(catalogue.CatalogueDefault(key=DUES, title="党费和经费公开", category="finance",
                                                      frequency="month", due_days=10))
        assert catalogue.DEFAULTS[DUES].frequency == "month"
    finally:
        catalogue.register(before)
    with pytest.raises(ValueError):
        catalogue.register(catalogue.CatalogueDefault(key="x", title="x", category="nope", frequency="month",
                                                      due_days=1))
    with pytest.raises(ValueError):
        catalogue.register(catalogue.CatalogueDefault(key="custom-x", title="x", category="party",
                                                      frequency="month", due_days=1))


def test_periods_beyond_today_are_not_owed(world):
    Board.objects.create(organization=world.community_a, opened_on=TODAY - timedelta(days=10))
    assert catalogue.dues_for([world.community_a], TODAY) == []
