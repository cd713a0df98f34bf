"""The dashboards' snapshots: the figures computed in a background task, the page showing the computation's
progress and then the figures with the time they were computed; refreshes when stale and by the scheduler."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.models import JobStatus
from gongzhi.core.periods import Period
from gongzhi.dashboards import services
from gongzhi.dashboards.models import DashboardSnapshot, SnapshotStatus
from tests.dashboards.cards import card

pytestmark = pytest.mark.django_db

YEAR = "?period=year&year=2025"


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


@pytest.fixture
def held(monkeypatch):
    """The task backend keeps the work (as the database backend does until a worker takes it)."""
    enqueued = []
    monkeypatch.setattr(services, "_enqueue", enqueued.append)
    return enqueued


def test_the_first_visit_shows_progress_then_the_figures_with_their_time(world, client_for, held):
    client = client_for("street_admin")
    url = reverse("dashboards:organization", args=[world.street_a.pk]) + YEAR
    waiting = client.get(url)
    assert waiting.status_code == 200 and not waiting.context["ready"]
    page = waiting.content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page and "data-figure-key" not in page
    snapshot = DashboardSnapshot.objects.get(organization=world.street_a, period_kind="year")
    assert held == [snapshot.pk] and snapshot.status == SnapshotStatus.PENDING and snapshot.language == "zh-hans"

    polled = client.get(url, HTTP_HX_REQUEST="true")  # still computing: the progress block, no reload
    assert "HX-Refresh" not in polled and "<progress" in polled.content.decode()
    assert client.get(url).status_code == 200 and held == [snapshot.pk]  # a second visit enqueues nothing more

    with time_machine.travel(timezone.now(), tick=False):
        services.compute_snapshot(snapshot.pk)
        computed_at = timezone.localtime()
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.READY and snapshot.job.status == JobStatus.DONE
    assert snapshot.job.progress == snapshot.job.total > 3
    assert client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    shown = client.get(url)
    page = shown.content.decode()
    assert 'data-figure-key="members.total"' in page and "<progress" not in page
    assert f"{computed_at:%Y-%m-%d %H:%M}" in page  # the time the figures were computed
    total = snapshot.data["values"]["members.total"][0]
    assert total > 0 and card(page, "members.total")["value"] == f"{total} 人"


def test_reading_a_snapshot_costs_a_bounded_number_of_queries_and_computing_one_does_not_grow(
        world, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.core import MemberFactory
    from tests.service.factories import activity

    client = client_for("street_admin")
    url = reverse("dashboards:organization", args=[world.street_a.pk]) + YEAR
    client.get(url)  # computed at once (the tests' immediate task backend)
    snapshot = DashboardSnapshot.objects.get(organization=world.street_a)
    with CaptureQueriesContext(connection) as first:
        services.compute_snapshot(snapshot.pk)
    for _ in range(20):
        MemberFactory(home_org=world.branch_b, community=world.community_a)
        activity(world.branch_a)
    with django_assert_max_num_queries(len(first.captured_queries)):
        services.compute_snapshot(snapshot.pk)
    with django_assert_max_num_queries(20):  # the page reads the snapshot: no figure computed
        response = client.get(url)
    assert response.context["ready"]


def test_a_stale_snapshot_is_shown_while_it_is_refreshed(world, client_for, held):
    client = client_for("community_secretary")
    url = reverse("dashboards:organization", args=[world.community_a.pk]) + YEAR
    snapshot = services.snapshot_for(world.community_a, Period.year(2025), "zh-hans")
    services.compute_snapshot(snapshot.pk)
    held.clear()
    assert client.get(url).context["ready"] and held == []  # fresh: nothing to do
    with time_machine.travel(timezone.now() + timedelta(seconds=services.STALE_SECONDS + 60)):
        response = client.get(url)
        assert response.context["ready"] and held == [snapshot.pk]
        page = response.content.decode()
        assert 'data-figure-key="members.total"' in page and "hx-get" in page  # old figures, a refresh polled
        client.get(url)
        assert held == [snapshot.pk]  # one refresh at a time
        services.compute_snapshot(snapshot.pk)
        snapshot.refresh_from_db()
        assert not snapshot.refreshing and snapshot.computed_at > timezone.now() - timedelta(seconds=5)


def test_a_failed_computation_is_said_and_tried_again_on_the_next_visit(world, client_for, held, monkeypatch):
    from gongzhi.dashboards import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    client = client_for("street_admin")
    url = reverse("dashboards:organization", args=[world.street_a.pk]) + YEAR
    client.get(url)
    snapshot = DashboardSnapshot.objects.get(organization=world.street_a)
    monkeypatch.setattr(selectors, "compute", broken)
    assert services.compute_snapshot(snapshot.pk) is None
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.FAILED and snapshot.job.status == JobStatus.FAILED
    assert 'role="alert"' in client.get(url).content.decode() and held == [snapshot.pk]  # not again at once
    later = time_machine.travel(timezone.now() + timedelta(seconds=services.RETRY_SECONDS + 1))
    later.start()
    response = client.get(url)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert held == [snapshot.pk, snapshot.pk]  # the visit enqueued the computation again …
    assert 'hx-trigger="every 2s"' in response.content.decode()  # … and polls until it is done
    assert services.compute_snapshot(snapshot.pk) is None  # failed again: said, no more polling
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in response.content.decode() and "hx-trigger" not in response.content.decode()
    assert len(held) == 2
    later.stop()


def test_the_scheduler_refreshes_the_snapshots_opened_lately(world, held):
    from gongzhi.dashboards.tasks import refresh_dashboards

    recent = services.snapshot_for(world.community_a, Period.year(2025), "zh-hans")
    forgotten = services.snapshot_for(world.street_a, Period.year(2025), "zh-hans")
    for snapshot in (recent, forgotten):
        services.compute_snapshot(snapshot.pk)
    later = timezone.now() + timedelta(seconds=services.REFRESH_EVERY)
    DashboardSnapshot.objects.filter(pk=forgotten.pk).update(viewed_at=later - timedelta(days=2))
    with time_machine.travel(later):
        assert refresh_dashboards.enqueue(reschedule=False).return_value == 1
    recent.refresh_from_db()
    forgotten.refresh_from_db()
    assert recent.computed_at >= later - timedelta(seconds=5) and forgotten.computed_at < later - timedelta(minutes=5)


def test_the_big_screen_waits_for_its_first_figures_then_shows_them(world, client_for, held):
    client = client_for("street_admin")
    url = reverse("dashboards:screen", args=[world.community_a.pk])
    waiting = client.get(url).content.decode()
    assert 'data-refresh="10"' in waiting and "data-figure-key" not in waiting
    services.compute_snapshot(held[0])
    shown = client.get(url).content.decode()
    assert 'data-refresh="300"' in shown and 'data-figure-key="members.total"' in shown


def test_the_schedule_command_says_what_it_did(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("dashboards", "schedule", stdout=out)
    assert "Dashboard refresh" in out.getvalue()
    call_command("dashboards", "refresh", stdout=out)
    assert "refreshed: 0" in out.getvalue()


def test_opening_period_after_period_waits_for_the_computations_under_way(world, client_for, held):
    """At most ``MAX_PENDING`` first computations per organization: the next period waits (its page polls)."""
    client = client_for("street_admin")
    base = reverse("dashboards:organization", args=[world.street_a.pk])
    for month in range(1, services.MAX_PENDING + 1):
        assert client.get(f"{base}?period=month&year=2025&number={month}").status_code == 200
    assert len(held) == services.MAX_PENDING
    waiting = client.get(f"{base}?period=month&year=2025&number=12")
    assert waiting.status_code == 200 and not waiting.context["ready"] and len(held) == services.MAX_PENDING
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert DashboardSnapshot.objects.filter(organization=world.street_a).count() == services.MAX_PENDING
    services.compute_snapshot(held[0])
    client.get(f"{base}?period=month&year=2025&number=12")  # one finished: this one's turn
    assert len(held) == services.MAX_PENDING + 1


def test_the_scheduler_deletes_snapshots_no_one_opened_for_long(world, held):
    old = services.snapshot_for(world.community_a, Period.year(2024), "zh-hans")
    services.compute_snapshot(old.pk)
    DashboardSnapshot.objects.filter(pk=old.pk).update(
        viewed_at=timezone.now() - services.FORGOTTEN_AFTER - timedelta(days=1))
    services.refresh_viewed()
    assert not DashboardSnapshot.objects.filter(pk=old.pk).exists()


def _written_per_visit(organization, data, links):
    """The page's cards and charts as written from the figures at each visit (before the snapshot kept them)."""
    from gongzhi.dashboards import selectors
    from gongzhi.dashboards.templatetags.dashboards import area_label, chart_card, figure_cards

    shown = selectors.present(organization, data)
    for series in shown["bars"]:
        series.links = links
    return {"areas": [(area, area_label(area), figure_cards(values)) for area, values in shown["areas"]],
            "bars": [chart_card(s) for s in shown["bars"]], "trend": [chart_card(s) for s in shown["trend"]],
            "distributions": [chart_card(s) for s in shown["distributions"]]}


@pytest.mark.parametrize("persona", ["street_admin", "community_secretary"])
def test_a_snapshot_keeps_its_page_written_and_a_visit_adds_the_bars_links_for_the_visitor(world, client_for,
                                                                                            persona):
    """The cards and charts are written once, when the figures are computed, in the snapshot's language; a visit
    shows the same HTML as writing them at each visit did, each bar linked where this visitor may open it."""
    client = client_for(persona)
    organization = world.community_a if persona == "community_secretary" else world.street_a
    url = reverse("dashboards:organization", args=[organization.pk]) + YEAR
    client.get(url)  # computed at once (the tests' immediate task backend)
    snapshot = DashboardSnapshot.objects.get(organization=organization)
    response = client.get(url)
    links = response.context["links"]
    assert links and all(links)
    expected = _written_per_visit(organization, snapshot.data, links)
    assert response.context["bars"] and response.context["areas"]
    for part in ("areas", "bars", "trend", "distributions"):
        assert list(response.context[part]) == expected[part], part


def test_each_language_has_its_snapshot_written_in_it(world):
    from django.utils import translation

    from gongzhi.dashboards.templatetags.dashboards import AREA_LABELS

    written = {}
    for language in ("zh-hans", "en"):
        snapshot = services.snapshot_for(world.community_a, Period.year(2025), language)
        services.compute_snapshot(snapshot.pk)
        snapshot.refresh_from_db()
        written[language] = snapshot.data["written"]
        with translation.override(language):
            assert [label for _area, label, _cards in written[language]["areas"]] == \
                [str(AREA_LABELS[area]) for area, _label, _cards in written[language]["areas"]]
    assert written["en"]["areas"][0][1] == "Organization" != written["zh-hans"]["areas"][0][1]


@pytest.mark.parametrize("stored", ["none", "older"])
def test_a_snapshot_written_by_an_older_page_is_written_again_when_read(world, client_for, stored,
                                                                        django_assert_max_num_queries):
    """A snapshot kept before its page was (or by an older markup, ``selectors.WRITTEN_VERSION``) shows the same
    page: written from its figures at the first visit, kept, and not written again at the next."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("street_admin")
    url = reverse("dashboards:organization", args=[world.street_a.pk]) + YEAR
    client.get(url)
    snapshot = DashboardSnapshot.objects.get(organization=world.street_a)
    fresh = client.get(url).context
    expected = {part: list(fresh[part]) for part in ("areas", "bars", "trend", "distributions", "links")}
    old = {key: value for key, value in snapshot.data.items() if key != "written"}
    if stored == "older":
        old["written"] = {**snapshot.data["written"], "version": 0, "areas": []}
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(data=old)
    with CaptureQueriesContext(connection) as first:
        context = client.get(url).context
    assert {part: list(context[part]) for part in expected} == expected
    snapshot.refresh_from_db()
    assert snapshot.data == {**old, "written": snapshot.data["written"]} and snapshot.data["written"] == \
        fresh["snapshot"].data["written"]
    with django_assert_max_num_queries(len(first.captured_queries) - 1):  # written once: not again
        client.get(url)


def test_a_page_written_again_is_not_kept_over_newer_figures(world):
    snapshot = services.snapshot_for(world.community_a, Period.year(2025), "zh-hans")
    services.compute_snapshot(snapshot.pk)
    snapshot.refresh_from_db()
    old = {**snapshot.data, "values": {**snapshot.data["values"], "members.total": [999, 999]}}
    del old["written"]
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(data=old)
    snapshot.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        services.compute_snapshot(snapshot.pk)  # a refresh finished while the old figures' page was being written
    newer = DashboardSnapshot.objects.get(pk=snapshot.pk).data
    services._write_page(snapshot, world.community_a)
    assert snapshot.data["written"] != newer["written"]  # (the old figures' page, 999 members)
    assert DashboardSnapshot.objects.get(pk=snapshot.pk).data == newer
