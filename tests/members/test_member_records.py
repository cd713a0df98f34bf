"""Registering and correcting member records; transfers out of and into the platform with a letter."""

from datetime import date

import pytest
from django.utils import timezone

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Member, MembershipEvent, Standing, Transfer
from tests.factories import MemberFactory, valid_id_number

from .helpers import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


GOOD = valid_id_number(date(1990, 5, 6), "female", serial=7)
WRONG_CHECK = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def record(world, **changes):
    data = {"name": "钱进", "sex": "", "ethnicity": "汉族", "id_number": valid_id_number(date(1990, 5, 6), "female"),
            "birth_date": "", "education": "bachelor", "joined_on": "2015-07-01", "full_member_on": "2016-07-01",
            "status": "full", "probation_ends_on": "", "category": "in_service", "employer": "区税务局",
            "job_post": "科员", "mobile": "13912345678", "address": "幸福社区1号楼2单元301",
            "home_org": world.branch_a.pk, "community": world.community_a.pk, "grid": world.grid_a.pk,
            "building": world.building_a.pk}
    data.update(changes)
    return data


def test_staff_register_a_member_and_the_id_number_gives_birth_date_and_sex(world, client_for):
    response = post(client_for("community_staff"), "/members/new/", record(world))
    member = Member.objects.get(name="钱进")
    assert response.status_code == 302 and response["Location"] == f"/members/{member.pk}/"
    assert (member.birth_date, member.sex) == (date(1990, 5, 6), "female")
    event = MembershipEvent.objects.get(member=member)
    assert event.kind == "created" and event.by == world.users["community_staff"]
    assert AuditEvent.objects.filter(action="members.member.create").count() == 1


@pytest.mark.parametrize("changes, field", [
    ({"id_number": WRONG_CHECK}, "id_number"),
    ({"id_number": "41010219850231001X"}, "id_number"),
    ({"sex": "male"}, "sex"),
    ({"birth_date": "1990-05-07"}, "birth_date"),
    ({"joined_on": "2099-01-01"}, "joined_on"),
    ({"full_member_on": "2014-01-01"}, "full_member_on"),
    ({"status": "probationary"}, "probation_ends_on"),
    ({"grid": "", "building": ""}, None),
])
def test_a_bad_record_is_refused_field_by_field_and_nothing_is_written(world, client_for, changes, field):
    response = post(client_for("community_staff"), "/members/new/", record(world, **changes))
    if field is None:  # a valid variant, as a control
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Member.objects.filter(name="钱进").exists()


def test_a_duplicate_id_number_links_to_the_record_the_user_may_see(world, client_for):
    response = post(client_for("community_staff"), "/members/new/", record(world, id_number=world.member_b.id_number))
    assert response.status_code == 400
    assert f'href="/members/{world.member_b.pk}/"' in response.content.decode()


def test_a_duplicate_elsewhere_is_refused_without_name_or_link(world, client_for):
    response = post(client_for("community_staff"), "/members/new/", record(world, id_number=world.member_x.id_number))
    body = response.content.decode()
    assert response.status_code == 400
    assert world.member_x.name not in body and f"/members/{world.member_x.pk}/" not in body
    assert response.context["duplicate_hidden"] is True


def test_editing_keeps_each_change_of_status_category_and_branch_in_the_history(world, client_for):
    client = client_for("community_staff")
    member = world.member_a
    page = client.get(f"/members/{member.pk}/edit/")
    assert member.id_number in page.content.decode()
    assert AuditEvent.objects.filter(action="members.member.reveal", object_id=str(member.pk)).count() == 1
    data = {name: (value.pk if hasattr(value, "pk") else value) for name, value in page.context["form"].initial.items()
            if name in page.context["form"].fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"category": "retired", "home_org": world.branch_b.pk})
    response = post(client, f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    kinds = set(MembershipEvent.objects.filter(member=member).values_list("kind", flat=True))
    assert {"category", "organization"} <= kinds
    moved = MembershipEvent.objects.get(member=member, kind="organization")
    assert (moved.from_value, moved.to_value, moved.by) == (world.branch_a.name, world.branch_b.name,
                                                           world.users["community_staff"])


def test_transfer_out_and_back_in_keeps_one_record_and_the_whole_history(world, client_for):
    secretary, staff = client_for("branch_secretary_a"), client_for("community_staff")
    member = MemberFactory(home_org=world.branch_a, community=world.community_a, name="周转")
    today = timezone.localdate().isoformat()
    # A date input takes only ISO dates, whatever the language of the page.
    assert f'value="{today}"' in secretary.get(f"/members/{member.pk}/transfer-out/").content.decode()
    response = post(secretary, f"/members/{member.pk}/transfer-out/",
                    {"destination": "外省某县某支部", "letter_number": "组转字〔2026〕18号", "on": today})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.standing == Standing.TRANSFERRED_OUT
    listed = staff.get("/members/").context["page"].object_list
    assert member not in list(listed)
    assert member in list(staff.get("/members/?standing=transferred_out").context["page"].object_list)
    again = post(secretary, f"/members/{member.pk}/transfer-out/",
                 {"destination": "别处", "letter_number": "2", "on": today})
    assert again.status_code == 404  # no longer held here: nothing to transfer

    back = post(staff, "/members/transfers/in/", {
        **record(world, id_number=member.id_number, name="", home_org=world.branch_b.pk),
        "source": "外省某县某支部", "letter_number": "组转字〔2027〕3号", "on": today})
    assert back.status_code == 302
    member.refresh_from_db()
    assert (member.standing, member.home_org) == (Standing.NORMAL, world.branch_b)
    assert Member.objects.filter(id_number=member.id_number).count() == 1
    kinds = list(MembershipEvent.objects.filter(member=member).order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["transfer_out", "transfer_in"]
    assert list(Transfer.objects.filter(member=member).values_list("direction", "letter_number")) == [
        ("in", "组转字〔2027〕3号"), ("out", "组转字〔2026〕18号")]


def test_transfer_in_of_a_new_person_registers_the_record(world, client_for):
    response = post(client_for("community_staff"), "/members/transfers/in/", {
        **record(world), "source": "某大学党委", "letter_number": "校组〔2026〕5号",
        "on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    member = Member.objects.get(name="钱进")
    assert member.home_org == world.branch_a
    assert member.history.get().kind == "transfer_in"


def test_transfer_in_of_someone_held_by_a_branch_here_is_refused(world, client_for):
    response = post(client_for("community_staff"), "/members/transfers/in/", {
        **record(world, id_number=world.member_b.id_number), "source": "某单位", "letter_number": "1",
        "on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert not Transfer.objects.exists()
    assert f'href="/members/{world.member_b.pk}/"' in response.content.decode()


def test_a_transfer_without_a_letter_number_is_refused(world, client_for):
    response = post(client_for("branch_secretary_a"), f"/members/{world.member_a.pk}/transfer-out/",
                    {"destination": "外省某县某支部", "letter_number": "", "on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    world.member_a.refresh_from_db()
    assert world.member_a.standing == Standing.NORMAL


def test_a_lost_contact_date_and_a_mobile_destination_are_kept_with_their_history(world, client_for):
    client = client_for("community_staff")
    member = world.member_a
    page = client.get(f"/members/{member.pk}/edit/")
    data = {name: (value.pk if hasattr(value, "pk") else value) for name, value in page.context["form"].initial.items()
            if name in page.context["form"].fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if k != "is_mobile_member"}
    data.update({"lost_contact_since": "2024-01-15", "party_status": "normal"})
    response = post(client, f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert (member.standing, member.lost_contact_since) == (Standing.LOST_CONTACT, date(2024, 1, 15))
    assert MembershipEvent.objects.get(member=member, kind="standing").to_value == "失联"
    data.update({"lost_contact_since": "", "is_mobile_member": "on", "mobile_destination": "广东省深圳市"})
    response = post(client, f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert (member.standing, member.is_mobile_member, member.mobile_destination) == (
        Standing.NORMAL, True, "广东省深圳市")
    detail = client_for("supervisor").get(f"/members/{member.pk}/").content.decode()
    assert "广东****" in detail and "广东省深圳市" not in detail  # masked like an address


@pytest.mark.parametrize("changes, field", [
    ({"is_mobile_member": "on"}, "mobile_destination"),
    ({"mobile_destination": "上海市"}, "mobile_destination"),
    ({"lost_contact_since": "2010-01-01"}, "lost_contact_since"),  # before joining
    ({"joined_on": "1985-07-01", "full_member_on": "1985-07-01"}, "full_member_on"),
])
def test_away_and_date_rules_are_refused_on_the_form(world, client_for, changes, field):
    response = post(client_for("community_staff"), "/members/new/", record(world, **changes))
    assert response.status_code == 400 and response.context["form"].errors[field]


def test_joining_and_full_on_the_same_day_in_1972_is_accepted_on_the_form(world, client_for):
    response = post(client_for("community_staff"), "/members/new/",
                    record(world, joined_on="1972-05-01", full_member_on="1972-05-01"))
    assert response.status_code == 302


def test_a_county_created_after_the_birth_year_is_registered_with_a_warning(world, client_for):
    from .roster_files import genuine

    number = genuine("411302", date(1985, 3, 12), 22)
    client = client_for("community_staff")
    response = post(client, "/members/new/", record(world, id_number=number))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "411302" in page and "1985" in page


def test_the_roster_filters_and_statistics_count_mobile_and_lost_members(world, client_for):
    MemberFactory(home_org=world.branch_a, community=world.community_a, name="流动甲", is_mobile_member=True,
                  mobile_destination="上海市")
    MemberFactory(home_org=world.branch_b, community=world.community_a, name="失联乙", standing=Standing.LOST_CONTACT,
                  lost_contact_since=date(2023, 1, 1), party_status="suspended")
    client = client_for("community_staff")
    names = lambda query: [m.name for m in client.get("/members/" + query).context["page"].object_list]  # noqa: E731
    assert names("?away=mobile") == ["流动甲"]
    assert names("?away=lost_contact") == ["失联乙"]
    assert names("?party_status=suspended") == ["失联乙"]
    stats = client.get(f"/members/stats/{world.community_a.pk}/").context["stats"]
    assert [row["n"] for row in stats["away"]] == [1, 1]
    assert {row["key"]: row["n"] for row in stats["party_status"]}["suspended"] == 1
