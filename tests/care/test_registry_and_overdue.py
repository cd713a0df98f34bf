"""The care registry (filters, scope, bounded queries, children's records logged) and the overdue list
computed and paged in the database."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.care import selectors
from gongzhi.care.models import CareTag, Pairing, Visit
from gongzhi.core.models import AuditEvent
from tests.factories import MemberFactory, ResidentFactory


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _pairings(world, n, *, late: bool):
    today = timezone.localdate()
    made = []
    for i in range(n):
        resident = ResidentFactory(name=f"老人{late}{i}", community=world.community_a, household=world.household_a)
        member = MemberFactory(name=f"党员{late}{i}", home_org=world.branch_a, community=world.community_a)
        pairing = Pairing.objects.create(member=member, resident=resident, frequency_days=7,
                                         started_on=today - timedelta(days=100))
        Visit.objects.create(pairing=pairing, visited_on=today - timedelta(days=(20 + i) if late else 2))
        made.append(pairing)
    return made


def test_due_dates_are_computed_in_the_database(world):
    today = timezone.localdate()
    never = Pairing.objects.create(member=world.member_a, resident=world.resident_a, frequency_days=30,
                                   started_on=today - timedelta(days=40))
    visited = Pairing.objects.create(member=world.member_b, resident=world.resident_a, frequency_days=14,
                                     started_on=date(2024, 1, 1))
    Visit.objects.create(pairing=visited, visited_on=today - timedelta(days=3))
    rows = {p.pk: (p.last_visit, p.due) for p in selectors.active_pairings(world.users["community_staff"])}
    assert rows == {never.pk: (None, today - timedelta(days=10)),
                    visited.pk: (today - timedelta(days=3), today + timedelta(days=11))}
    late = selectors.overdue(selectors.active_pairings(world.users["community_staff"]), today)
    assert [p.pk for p in late] == [never.pk]


def test_the_overdue_list_is_complete_and_paged_beyond_the_first_page(world, client_for):
    late = _pairings(world, 55, late=True)
    _pairings(world, 5, late=False)
    client = client_for("community_staff")
    first = client.get(reverse("care:index"), {"overdue": "1"}).content.decode()
    second = client.get(reverse("care:index"), {"overdue": "1", "page": "2"}).content.decode()
    shown = {p.pk for p in late if f'data-pairing="{p.pk}"' in first + second}
    assert shown == {p.pk for p in late}
    assert 'id="overdue-count">55<' in first
    # the longest overdue first
    assert first.index(f'data-pairing="{late[-1].pk}"') < first.index(f'data-pairing="{late[10].pk}"')
    api = client.get("/api/care/pairings/overdue", {"offset": 50, "limit": 50}).json()
    assert api["count"] == 55 and len(api["items"]) == 5 and all(row["overdue"] for row in api["items"])


def test_the_index_issues_a_fixed_number_of_queries(world, client_for):
    client = client_for("community_staff")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("care:index"))
        return len(ctx)

    _pairings(world, 3, late=True)
    few = count()
    _pairings(world, 20, late=False)
    assert count() == few


def test_the_registry_filters_and_stays_in_scope(world, client_for):
    alone = ResidentFactory(name="独居张", community=world.community_a, household=world.household_a)
    CareTag.objects.create(resident=alone, kind="alone")
    disabled = ResidentFactory(name="残障李", community=world.community_a, household=world.household_b)
    CareTag.objects.create(resident=disabled, kind="disability")
    Pairing.objects.create(member=world.member_a, resident=disabled, started_on=date(2025, 1, 1))
    foreign = ResidentFactory(name="外街王", community=world.community_x, household=world.household_x)
    CareTag.objects.create(resident=foreign, kind="alone")
    ResidentFactory(name="无需关怀", community=world.community_a)
    client = client_for("community_staff")
    url = reverse("care:registry")
    text = client.get(url).content.decode()
    assert "独居张" in text and "残障李" in text and "外街王" not in text and "无需关怀" not in text
    assert "独居张" in client.get(url, {"kind": "alone"}).content.decode()
    assert "残障李" not in client.get(url, {"kind": "alone"}).content.decode()
    unpaired = client.get(url, {"unpaired": "on"}).content.decode()
    assert "独居张" in unpaired and "残障李" not in unpaired
    by_grid = client.get(url, {"grid": world.grid_b.pk}).content.decode()
    assert "残障李" in by_grid and "独居张" not in by_grid
    assert client_for("member").get(url).status_code == 404
    assert client_for("foreign_secretary").get(url).content.decode().count("data-resident=") == 1


def test_the_registry_logs_each_childs_record_and_keeps_queries_bounded(world, client_for):
    client = client_for("community_staff")
    url = reverse("care:registry")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx)

    year = timezone.localdate().year
    for i in range(3):
        child = ResidentFactory(name=f"留守{i}", community=world.community_a, birth_year=year - 9)
        CareTag.objects.create(resident=child, kind="left_behind")
    few = count()
    assert AuditEvent.objects.filter(action="care.child_record.view", detail__via="registry").count() == 3
    for i in range(12):
        child = ResidentFactory(name=f"儿童{i}", community=world.community_a, birth_year=year - 10)
        CareTag.objects.create(resident=child, kind="illness")
        adult = ResidentFactory(name=f"老人{i}", community=world.community_a, birth_year=1940)
        CareTag.objects.create(resident=adult, kind="alone")
    assert count() == few


def _instances_made(work) -> set[str]:
    """The models of which ``work()`` built instances."""
    from django.db.models.signals import pre_init

    made = set()

    def note(sender, **kwargs):
        made.add(sender._meta.label)

    pre_init.connect(note)
    try:
        work()
    finally:
        pre_init.disconnect(note)
    return made


def test_the_registry_reads_its_rows_as_values_and_writes_them_as_before(world, client_for):
    """No model instance per resident, tag, pairing, carer or place: the rows are values, written with the needs in
    the kinds' order, the current carers (members and units) by pairing, the household's grid and building; a child's
    viewing is logged against the resident's community."""
    year = timezone.localdate().year
    child = ResidentFactory(name="小<明>", community=world.community_a, household=world.household_b,
                            birth_year=year - 8)
    CareTag.objects.create(resident=child, kind="illness")
    CareTag.objects.create(resident=child, kind="alone")  # created later, shown first: the kinds' order
    Pairing.objects.create(member=world.member_b, resident=child, started_on=date(2025, 1, 1))
    Pairing.objects.create(unit=world.unit, resident=child, started_on=date(2025, 2, 1))
    Pairing.objects.create(member=world.member_a, resident=child, started_on=date(2024, 1, 1),
                           ended_on=date(2024, 12, 31))
    lone = ResidentFactory(name="孤老", community=world.community_a, household=None, birth_year=1940)
    CareTag.objects.create(resident=lone, kind="empty_nest")
    client = client_for("community_staff")
    pages = []
    made = _instances_made(lambda: pages.append(client.get(reverse("care:registry"))))
    assert not made & {"members.Resident", "care.CareTag", "care.Pairing", "members.Member", "orgs.CoBuildingUnit",
                       "orgs.Household", "orgs.Building", "orgs.Grid"}
    text = pages[0].content.decode()
    row = text[text.index(f'<li class="list-group-item" data-resident="{child.pk}">'):]
    row = row[:row.index("</li>")]
    alone, illness = (str(CareTag(kind=kind).get_kind_display()) for kind in ("alone", "illness"))
    assert f'<a href="/care/residents/{child.pk}/">小&lt;明&gt;</a>' in row
    assert f'<span class="small text-body-secondary">{world.community_a.name} · {world.grid_b.name} ' \
           f'{world.building_b.name}</span>' in row
    assert (f'<div class="mt-1"><span class="badge text-bg-warning me-1">{alone}</span>'
            f'<span class="badge text-bg-warning me-1">{illness}</span></div>') in row
    assert f"{world.member_b.name}、{world.unit.name}</div>" in row and world.member_a.name not in row
    lone_row = text[text.index(f'data-resident="{lone.pk}"'):]
    lone_row = lone_row[:lone_row.index("</li>")]
    assert f'<span class="small text-body-secondary">{world.community_a.name}</span>' in lone_row
    assert '<span class="text-danger">' in lone_row
    logged = AuditEvent.objects.get(action="care.child_record.view", object_id=str(child.pk))
    assert (logged.object_type, logged.object_repr, logged.organization_id, logged.detail) == (
        "members.resident", "小<明>", world.community_a.pk, {"via": "registry"})
    assert not AuditEvent.objects.filter(action="care.child_record.view", object_id=str(lone.pk)).exists()
