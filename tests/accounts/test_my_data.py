"""A person sees and downloads everything held about him or her, including who revealed it."""

import json
from decimal import Decimal

from gongzhi.core import audit
from gongzhi.core.models import AuditEvent


def test_a_member_sees_the_own_full_record_and_who_looked_at_it(world, client_for):
    audit.record(actor=world.users["community_staff"], action="members.member.reveal", obj=world.member_a,
                 subject_user=world.users["member"])
    body = client_for("member").get("/accounts/me/data/").content.decode()
    assert world.member_a.id_number in body and world.member_a.mobile in body
    assert "members.member.reveal" in body and str(world.users["community_staff"]) in body
    assert world.member_b.name not in body


def test_the_download_holds_the_same_and_is_logged(world, client_for):
    response = client_for("member").get("/accounts/me/data/download/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert any(world.member_a.id_number in r["fields"].values() for r in data["records"])
    assert AuditEvent.objects.filter(action="accounts.own_data.download",
                                     subject_user=world.users["member"]).count() == 1


def test_a_resident_sees_the_resident_record(world, client_for):
    body = client_for("resident").get("/accounts/me/data/").content.decode()
    assert world.resident_a.phone in body


def _activity_of_two_people(world):
    from datetime import date

    from gongzhi.care.models import CareTag, Pairing, Visit
    from gongzhi.points.services import post_points

    post_points(member=world.member_a, code="manual_award", key="mydata-a", occurred_on=date(2026, 3, 1),
                points=Decimal("5"), reason="清理楼道杂物")
    post_points(member=world.member_b, code="manual_award", key="mydata-b", occurred_on=date(2026, 3, 1),
                points=Decimal("7"), reason="别人的记录")
    CareTag.objects.create(resident=world.resident_a, kind="alone", note="子女在外地")
    pairing = Pairing.objects.create(member=world.member_a, resident=world.resident_a, started_on=date(2025, 1, 1))
    Visit.objects.create(pairing=pairing, visited_on=date(2026, 2, 3), note="帮忙买药")


def test_the_page_lists_the_persons_own_records_of_every_app_and_nobody_elses(world, client_for):
    _activity_of_two_people(world)
    body = client_for("member").get("/accounts/me/data/").content.decode()
    assert "清理楼道杂物" in body and "别人的记录" not in body
    # The member visits a resident: that resident's care need is not the member's data.
    assert "子女在外地" not in body
    resident_page = client_for("resident").get("/accounts/me/data/").content.decode()
    assert "子女在外地" in resident_page and "帮忙买药" in resident_page
    assert "清理楼道杂物" not in resident_page


def test_the_download_carries_the_same_activity(world, client_for):
    _activity_of_two_people(world)
    data = json.loads(client_for("member").get("/accounts/me/data/download/").content)
    reasons = [row for section in data["activity"] for row in section["rows"]]
    assert any("清理楼道杂物" in row.values() for row in reasons)
    assert not any("别人的记录" in row.values() for row in reasons)


def test_the_page_costs_the_same_queries_with_more_records(world, client_for, django_assert_max_num_queries):
    from datetime import date

    from gongzhi.points.services import post_points

    client = client_for("member")
    _activity_of_two_people(world)
    with django_assert_max_num_queries(40) as few:
        client.get("/accounts/me/data/")
    for day in range(1, 20):
        post_points(member=world.member_a, code="manual_award", key=f"mydata-more-{day}",
                    occurred_on=date(2026, 4, day), points=Decimal("1"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/accounts/me/data/")
