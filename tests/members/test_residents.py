"""Resident records: the scoped list with masked data, adding and correcting, linking a party member."""

import pytest
from django.utils.translation import gettext as _

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Resident
from tests.factories import HouseholdFactory, MemberFactory, ResidentFactory, valid_id_number

from .helpers import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def resident_data(world, **changes):
    data = {"community": world.community_a.pk, "name": "吴芳", "sex": "female", "birth_year": "1958", "id_number": "",
            "phone": "13700001111", "relation": "spouse", "political_status": "masses",
            "building": world.building_a.pk, "door": "1-101", "member_id_number": ""}
    data.update(changes)
    return data


def test_the_list_is_scoped_masked_and_searchable_by_pinyin_initials(world, client_for):
    response = client_for("community_staff").get("/members/residents/")
    body = response.content.decode()
    assert world.resident_a.name in body and world.resident_x.name not in body
    assert world.resident_a.phone not in body
    found = client_for("community_staff").get("/members/residents/?q=sl").context["page"].object_list
    assert [row.pk for row in found] == [world.resident_a.pk]
    assert client_for("foreign_secretary").get("/members/residents/").context["page"].paginator.count == 1


def test_the_list_costs_the_same_queries_with_more_residents(world, client_for, django_assert_max_num_queries):
    client = client_for("community_staff")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/members/residents/")
    for n in range(30):
        ResidentFactory(community=world.community_a, household=HouseholdFactory(building=world.building_a,
                                                                                number=f"9{n:02d}"),
                        member=MemberFactory(home_org=world.branch_a) if n % 3 == 0 else None)
    with django_assert_max_num_queries(len(few)):
        client.get("/members/residents/")


def test_staff_add_a_resident_to_a_household_by_building_and_door(world, client_for):
    response = post(client_for("community_staff"), "/members/residents/new/", resident_data(world))
    assert response.status_code == 302
    resident = Resident.objects.get(name="吴芳")
    assert resident.household == world.household_a and resident.id_number is None
    assert AuditEvent.objects.filter(action="members.resident.create").count() == 1


@pytest.mark.parametrize("changes, field", [
    ({"door": "9-999"}, "door"),
    ({"building": "x"}, "building"),
    ({"id_number": "41010219850312001"}, "id_number"),
    ({"birth_year": "1850"}, "birth_year"),
    ({"id_number": valid_id_number(sex="female", serial=3), "birth_year": "1960"}, "birth_year"),
    ({"phone": "电话"}, "phone"),
])
def test_bad_resident_data_is_refused_and_nothing_is_written(world, client_for, changes, field):
    if changes.get("building") == "x":
        changes = {"building": world.building_x.pk}
    response = post(client_for("community_staff"), "/members/residents/new/", resident_data(world, **changes))
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Resident.objects.filter(name="吴芳").exists()


def test_linking_the_member_record_shows_on_both_pages(world, client_for):
    member = MemberFactory(home_org=world.branch_a, community=world.community_a, name="吴党员")
    client = client_for("community_staff")
    response = post(client, "/members/residents/new/", resident_data(world, name="吴党员",
                                                                    member_id_number=member.id_number))
    assert response.status_code == 302
    resident = Resident.objects.get(name="吴党员")
    assert resident.member == member and resident.political_status == "member"
    assert f"/members/residents/{resident.pk}/edit/" in client.get(f"/members/{member.pk}/").content.decode()
    listed = client.get("/members/residents/?q=吴党员").content.decode()
    assert f"/members/{member.pk}/" in listed
    second = post(client, "/members/residents/new/", resident_data(world, name="另一人",
                                                                  member_id_number=member.id_number))
    assert second.status_code == 400


def test_opening_the_edit_form_is_a_recorded_viewing_and_saving_corrects(world, client_for):
    client = client_for("community_staff")
    page = client.get(f"/members/residents/{world.resident_a.pk}/edit/")
    assert world.resident_a.phone in page.content.decode()
    assert AuditEvent.objects.filter(action="members.resident.reveal").count() == 1
    response = post(client, f"/members/residents/{world.resident_a.pk}/edit/",
                    resident_data(world, name=world.resident_a.name, phone="13611112222", sex=world.resident_a.sex,
                                  birth_year=str(world.resident_a.birth_year)))
    assert response.status_code == 302
    world.resident_a.refresh_from_db()
    assert world.resident_a.phone == "13611112222"


def test_staff_see_their_own_resident_record_beside_their_communities(world):
    """One's own record is read first for staff: left out of the query when it lies in the subtree, kept
    when it lies elsewhere; a resident without a staff role sees his or her own record only."""
    from django.contrib.auth import get_user_model

    staff = world.users["community_staff"]
    in_scope = set(Resident.objects.filter(community__path__startswith=world.community_a.path))
    assert set(Resident.objects.visible_to(staff)) == in_scope
    world.resident_a.user = staff
    world.resident_a.save()
    assert set(Resident.objects.visible_to(staff)) == in_scope
    assert Resident.objects.visible_to(staff).filter(pk=world.resident_a.pk).count() == 1
    world.resident_a.user = None
    world.resident_a.save()
    world.resident_x.user = staff
    world.resident_x.save()
    assert set(Resident.objects.visible_to(staff)) == in_scope | {world.resident_x}
    assert set(Resident.objects.visible_to(staff, inline=True)) == in_scope | {world.resident_x}
    neighbour = get_user_model().objects.create_user(username="neighbour", password="x")  # noqa: S106
    world.resident_x.user = neighbour
    world.resident_x.save()
    assert list(Resident.objects.visible_to(neighbour)) == [world.resident_x]
    assert set(Resident.objects.visible_to(staff)) == in_scope


def test_the_list_reads_its_rows_as_values_and_writes_them_as_before(world, client_for):
    """No model instance per resident, community, household or building: the rows are values, written with the
    edit link where one registers residents, the household's building and door, the labels, the masks from the
    last four characters and the member record's link."""
    from django.db.models.signals import pre_init

    member = MemberFactory(home_org=world.branch_a, community=world.community_a)
    shown = ResidentFactory(name="李<四>", community=world.community_a, household=world.household_b, member=member,
                            phone="13700002222", id_number=valid_id_number(sex="female", serial=5), birth_year=1985,
                            relation="spouse", political_status="masses")
    made = set()

    def note(sender, **kwargs):
        made.add(sender._meta.label)

    pre_init.connect(note)
    try:
        text = client_for("community_staff").get("/members/residents/", {"q": "李<四>"}).content.decode()
    finally:
        pre_init.disconnect(note)
    assert not made & {"members.Resident", "members.Member", "orgs.Household", "orgs.Building"}
    relation, status = shown.get_relation_display(), shown.get_political_status_display()
    assert (f'<tr data-resident="{shown.pk}">\n'
            f'<td><a href="/members/residents/{shown.pk}/edit/">李&lt;四&gt;</a></td>\n'
            f"<td>{world.building_b.name} 1-{world.household_b.number}</td><td>{relation}</td><td>1985</td>\n"
            f'<td>{status} · <a href="/members/{member.pk}/">{_("member record")}</a></td>\n'
            f'<td class="text-nowrap">*******2222</td><td class="text-nowrap">**************{shown.id_number[-4:]}'
            "</td></tr>\n") in text


OWN_LOOKUP = 'WHERE "members_resident"."user_id" ='


def test_the_list_reads_ones_own_resident_record_once_and_shows_it(world, client_for):
    """The list builds its scope twice (its rows, its count): one's own record is read once for both, and a staff
    member's own record in another community is still listed and counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = world.users["community_staff"]
    world.resident_x.user = staff
    world.resident_x.save()
    with CaptureQueriesContext(connection) as queries:
        response = client_for("community_staff").get("/members/residents/")
    own_lookups = [q["sql"] for q in queries.captured_queries if OWN_LOOKUP in q["sql"]]
    assert len(own_lookups) == 1, own_lookups
    in_scope = Resident.objects.filter(community__path__startswith=world.community_a.path).count()
    assert response.context["page"].paginator.count == in_scope + 1
    assert world.resident_x.pk in {row.pk for row in response.context["page"].object_list}


def test_ones_own_record_is_remembered_only_within_the_block(world):
    """Inside ``own_resident_remembered`` the record is read once; after the block a scope reads it again (it may
    have changed), and the user object keeps nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongzhi.members.models import OWN_RESIDENT_ATTR, own_resident_remembered

    staff = world.users["community_staff"]
    world.resident_x.user = staff
    world.resident_x.save()
    with own_resident_remembered(staff), CaptureQueriesContext(connection) as queries:
        first = set(Resident.objects.visible_to(staff).values_list("pk", flat=True))
        second = set(Resident.objects.visible_to(staff, inline=True).values_list("pk", flat=True))
    assert first == second and world.resident_x.pk in first
    own_lookups = [q["sql"] for q in queries.captured_queries if OWN_LOOKUP in q["sql"]]
    assert len(own_lookups) == 1, own_lookups
    assert OWN_RESIDENT_ATTR not in staff.__dict__
    world.resident_x.user = None
    world.resident_x.save()
    assert world.resident_x.pk not in set(Resident.objects.visible_to(staff).values_list("pk", flat=True))
