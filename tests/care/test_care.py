from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from gongzhi.care.models import CareTag, Pairing, Visit


def _post(client, url, data):
    client.get(reverse("voice:track"))
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_care_tags_are_seen_only_by_staff_in_scope_and_the_paired_member(world, client_for):
    tag = CareTag.objects.create(resident=world.resident_a, kind="alone", note="子女在外地")
    assert not CareTag.objects.visible_to(world.users["member"]).exists()
    assert not CareTag.objects.visible_to(world.users["branch_secretary_a"]).exists()
    assert not CareTag.objects.visible_to(world.users["supervisor"]).exists()
    assert not CareTag.objects.visible_to(world.users["foreign_secretary"]).exists()
    assert list(CareTag.objects.visible_to(world.users["community_staff"])) == [tag]
    Pairing.objects.create(member=world.member_a, resident=world.resident_a, started_on=date(2025, 1, 1))
    assert list(CareTag.objects.visible_to(world.users["member"])) == [tag]
    page = client_for("member").get(reverse("care:resident", kwargs={"pk": world.resident_a.pk})).content.decode()
    assert "子女在外地" in page
    assert client_for("branch_secretary_a").get(
        reverse("care:resident", kwargs={"pk": world.resident_a.pk})).status_code == 404


def test_staff_tag_and_pair_and_the_member_logs_visits(world, client_for):
    staff = client_for("community_staff")
    _post(staff, reverse("care:tag_add", kwargs={"pk": world.resident_a.pk}), {"kind": "alone"})
    _post(staff, reverse("care:tag_add", kwargs={"pk": world.resident_a.pk}), {"kind": "alone"})
    assert CareTag.objects.filter(resident=world.resident_a).count() == 1
    _post(staff, reverse("care:pair"), {"member": world.member_a.pk, "resident": world.resident_a.pk,
                                        "frequency_days": 7})
    pairing = Pairing.objects.get()
    yesterday = timezone.localdate() - timedelta(days=1)
    _post(client_for("member"), reverse("care:visit", kwargs={"pk": pairing.pk}),
          {"visited_on": yesterday.isoformat(), "note": "聊天、量血压"})
    _post(client_for("member"), reverse("care:visit", kwargs={"pk": pairing.pk}),
          {"visited_on": (timezone.localdate() + timedelta(days=3)).isoformat()})
    assert list(Visit.objects.values_list("visited_on", flat=True)) == [yesterday]


def test_the_overdue_list_shows_pairings_past_their_visit_frequency(world, client_for, django_assert_max_num_queries):
    today = timezone.localdate()
    late = Pairing.objects.create(member=world.member_a, resident=world.resident_a, frequency_days=7,
                                  started_on=today - timedelta(days=60))
    Visit.objects.create(pairing=late, visited_on=today - timedelta(days=10))
    fine = Pairing.objects.create(member=world.member_b, resident=world.resident_a, frequency_days=30,
                                  started_on=today - timedelta(days=60))
    Visit.objects.create(pairing=fine, visited_on=today - timedelta(days=3))
    client = client_for("community_staff")
    with django_assert_max_num_queries(17):
        text = client.get(reverse("care:index"), {"overdue": "1"}).content.decode()
    assert f'data-pairing="{late.pk}"' in text and f'data-pairing="{fine.pk}"' not in text
