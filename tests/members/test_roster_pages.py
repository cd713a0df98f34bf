from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Education, MemberCategory, MemberStatus
from tests.factories import MemberFactory

from .helpers import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def test_list_shows_only_members_in_scope_and_masks_id_numbers(world, client_for):
    response = client_for("branch_secretary_a").get(reverse("members:list"))
    body = response.content.decode()
    assert "赵磊" in body and "钱明" not in body and "李外" not in body
    assert world.member_a.id_number not in body
    assert world.member_a.id_number[-4:] in body


def test_list_filters_by_branch_category_status_age_and_education(world, client_for):
    today = date.today()
    MemberFactory(name="王青年", home_org=world.branch_b, community=world.community_a,
                  birth_date=today.replace(year=today.year - 30), category=MemberCategory.STUDENT,
                  education=Education.BACHELOR, status=MemberStatus.PROBATIONARY,
                  probation_ends_on=today + timedelta(days=30))
    client = client_for("community_secretary")
    url = reverse("members:list")

    def names(**params):
        body = client.get(url, params).content.decode()
        return {n for n in ("赵磊", "钱明", "王青年", "孙红") if n in body}

    assert names(branch=world.branch_b.pk) == {"钱明", "王青年"}
    assert names(category="student") == {"王青年"}
    assert names(status="probationary") == {"王青年"}
    assert names(age="u35") == {"王青年"}
    assert names(age="35_45") == {"赵磊", "钱明", "孙红"}
    assert names(education="bachelor") == {"王青年"}


def test_search_by_name_pinyin_initials_and_last_four_id_digits(world, client_for):
    client = client_for("community_secretary")
    url = reverse("members:list")
    assert "赵磊" in client.get(url, {"q": "赵"}).content.decode()
    body = client.get(url, {"q": "zl"}).content.decode()
    assert "赵磊" in body and "钱明" not in body
    body = client.get(url, {"q": world.member_b.id_number[-4:]}).content.decode()
    assert "钱明" in body


@pytest.mark.parametrize("count", [5, 40])
def test_list_queries_are_bounded(world, client_for, django_assert_max_num_queries, count):
    for _ in range(count):
        MemberFactory(home_org=world.branch_a, community=world.community_a)
    client = client_for("community_secretary")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("members:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("members:export")).status_code == 200


def test_detail_masks_personal_data_for_staff_and_member_sees_own_record(world, client_for):
    url = reverse("members:detail", args=[world.member_a.pk])
    body = client_for("community_staff").get(url).content.decode()
    assert world.member_a.id_number not in body and world.member_a.mobile not in body
    assert world.member_a.address not in body
    assert "第一网格党支部" in body and "幸福社区党委" in body
    own = client_for("member").get(url).content.decode()
    assert world.member_a.id_number in own and world.member_a.mobile in own and world.member_a.address in own


def test_reveal_shows_plain_values_once_and_is_audited(world, client_for):
    client = client_for("community_staff")
    response = post(client, reverse("members:reveal", args=[world.member_a.pk]))
    body = response.content.decode()
    assert world.member_a.id_number in body and world.member_a.mobile in body
    event = AuditEvent.objects.get(action="members.member.reveal")
    assert event.object_id == str(world.member_a.pk)
    assert event.subject_user == world.users["member"]
    assert event.actor == world.users["community_staff"]
    again = client.get(reverse("members:detail", args=[world.member_a.pk])).content.decode()
    assert world.member_a.id_number not in again


def test_branch_secretary_cannot_reveal(world, client_for):
    response = post(client_for("branch_secretary_a"), reverse("members:reveal", args=[world.member_a.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="members.member.reveal").exists()


def test_export_is_masked_filtered_audited_and_writes_formulas_as_text(world, client_for, tmp_path):
    MemberFactory(name="=HYPERLINK(1)", home_org=world.branch_a, community=world.community_a,
                  category=MemberCategory.RETIRED, address="+SUM(A1)")
    client = client_for("community_secretary")
    response = client.get(reverse("members:export"), {"branch": world.branch_a.pk})
    assert response.status_code == 200
    path = tmp_path / "x.xlsx"
    path.write_bytes(response.content)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    # Text that a spreadsheet would take for a formula (when the cell is edited, or the sheet saved as
    # CSV) keeps a leading apostrophe: it stays text everywhere.
    assert names == {"赵磊", "'=HYPERLINK(1)"}
    assert all(world.member_a.id_number != cell for row in rows for cell in row)
    assert not [c for r in sheet.iter_rows() for c in r if str(c.value or "").startswith(("=", "+", "-", "@"))]
    assert {c.data_type for r in sheet.iter_rows() for c in r} == {"s"}
    event = AuditEvent.objects.get(action="members.roster.export")
    assert event.detail["rows"] == 2
    assert event.detail["filters"] == {"branch": world.branch_a.pk}
    assert "赵磊" not in str(event.detail)


def test_stats_count_members_by_status_category_and_due_probationers(world, client_for):
    today = date.today()
    MemberFactory(name="预备甲", home_org=world.branch_a, community=world.community_a,
                  status=MemberStatus.PROBATIONARY, probation_ends_on=today + timedelta(days=20))
    MemberFactory(name="预备乙", home_org=world.branch_a, community=world.community_a,
                  status=MemberStatus.PROBATIONARY, probation_ends_on=today + timedelta(days=90))
    response = client_for("community_secretary").get(reverse("members:stats", args=[world.community_a.pk]))
    stats = response.context["stats"]
    assert stats["total"] == 5
    assert {r["key"]: r["n"] for r in stats["status"]} == {"full": 3, "probationary": 2}
    assert [m.name for m in stats["due"]] == ["预备甲"]
    assert "预备甲" in response.content.decode() and "预备乙" not in response.content.decode()
