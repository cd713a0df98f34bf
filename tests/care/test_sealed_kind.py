"""The kind of care need is vulnerability status: stored encrypted, with a keyed blind index for what needs
equality — one tag per resident and kind, the registry's filter, the counts by kind (grouped by the index and
mapped back in Python) — sealed by the data migration, and carried onto a new key by the rotation."""

import base64

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from gongzhi.care import selectors
from gongzhi.care.models import CareKind, CareTag, by_kind, count_by_kind
from gongzhi.core import crypto, keys
from gongzhi.members.models import Resident
from tests.factories import ResidentFactory


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _raw(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM care_caretag WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _set_raw(pk, column, value):
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE care_caretag SET "{column}" = %s WHERE id = %s', [value, pk])  # noqa: S608


def test_the_kind_is_stored_encrypted_and_found_through_its_blind_index(world):
    tag = CareTag.objects.create(resident=world.resident_a, kind="low_income")
    stored = _raw(tag.pk, "kind")
    assert crypto.is_sealed(stored) and "low_income" not in stored
    assert _raw(tag.pk, "kind_bidx") == crypto.blind_index("code", "low_income")
    assert CareTag.objects.get(pk=tag.pk).kind == "low_income"
    assert list(CareTag.objects.filter(kind="low_income")) == [tag]
    assert list(CareTag.objects.filter(kind__in=["alone", "low_income"])) == [tag]
    assert not CareTag.objects.filter(kind="alone").exists()
    # Two tags of the same kind hold different ciphertexts: only the keyed index is equal.
    other = CareTag.objects.create(resident=world.resident_x, kind="low_income")
    assert _raw(other.pk, "kind") != stored and _raw(other.pk, "kind_bidx") == _raw(tag.pk, "kind_bidx")


def test_one_tag_per_resident_and_kind_through_the_index(world):
    CareTag.objects.create(resident=world.resident_a, kind="alone")
    CareTag.objects.create(resident=world.resident_a, kind="illness")
    CareTag.objects.create(resident=world.resident_x, kind="alone")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareTag.objects.create(resident=world.resident_a, kind="alone")


def test_counts_by_kind_group_by_the_index_and_order_is_the_codes(world, client_for):
    residents = [ResidentFactory(name=f"关怀{i}", community=world.community_a) for i in range(4)]
    for resident, kind in zip(residents, ("alone", "alone", "disability", "illness"), strict=True):
        CareTag.objects.create(resident=resident, kind=kind)
    CareTag.objects.create(resident=residents[0], kind="disability")
    counts = count_by_kind(CareTag.objects.filter(resident__in=residents))
    assert {k: n for k, n in counts.items() if n} == {"alone": 2, "disability": 2, "illness": 1}
    assert [t.kind for t in by_kind(CareTag.objects.filter(resident=residents[0]).order_by("-id"))] == [
        "alone", "disability"]
    page = client_for("community_staff").get(reverse("care:registry")).content.decode()
    mine = Resident.objects.filter(pk__in=[r.pk for r in residents])
    needs, with_needs = selectors.needs(mine)
    assert {str(label): n for label, n in dict(needs).items()} == {
        str(CareKind.LIVING_ALONE.label): 2, str(CareKind.DISABILITY.label): 2, str(CareKind.ILLNESS.label): 1}
    assert with_needs == 4
    assert 'id="needs"' in page and "独居老人 2" in page


def test_the_data_migration_seals_plain_kinds_and_fills_the_index(world):
    from django.apps import apps

    tag = CareTag.objects.create(resident=world.resident_a, kind="empty_nest")
    _set_raw(tag.pk, "kind", "empty_nest")
    _set_raw(tag.pk, "kind_bidx", None)
    editor = type("Editor", (), {"connection": connection})()
    operation = keys.encrypt_existing("care.CareTag")
    operation.code(apps, editor)
    assert crypto.is_sealed(_raw(tag.pk, "kind"))
    assert CareTag.objects.get(kind="empty_nest").pk == tag.pk
    operation.reverse_code(apps, editor)
    assert _raw(tag.pk, "kind") == "empty_nest"


def test_rotation_carries_the_kind_onto_the_new_key_and_its_index_stays(world):
    tag = CareTag.objects.create(resident=world.resident_a, kind="disability")
    index = _raw(tag.pk, "kind_bidx")
    from django.conf import settings

    with override_settings(GONGZHI_DATA_KEYS=f"{settings.GONGZHI_DATA_KEYS},2:{base64.b64encode(b'b' * 32).decode()}"):
        crypto.reset()
        assert keys.status()["care.caretag.kind"].get("v1")
        keys.rotate()
        assert set(keys.status()["care.caretag.kind"]) == {"v2"}
        assert crypto.key_of(_raw(tag.pk, "kind")) == "v2" and _raw(tag.pk, "kind_bidx") == index
        assert CareTag.objects.get(kind="disability").pk == tag.pk
    crypto.reset()


def test_needs_of_communities_compiled_once_are_the_needs_of_their_residents(world):
    """``selectors.needs_in`` (the registry's, its SQL compiled once) counts what ``needs`` counts for the same
    residents: each community alone and both together, a resident with two needs counted once among those with any,
    a community without tags, and no community at all."""
    from gongzhi.orgs.models import Organization

    a, x = world.community_a, world.community_x
    made = [(ResidentFactory(name=f"需要{i}", community=community), kinds) for i, (community, kinds) in enumerate(
        [(a, ("alone", "disability")), (a, ("alone",)), (x, ("illness",)), (x, ("low_income", "other", "alone"))])]
    for resident, kinds in made:
        for kind in kinds:
            CareTag.objects.create(resident=resident, kind=kind)
    empty = Organization.objects.exclude(pk__in=Resident.objects.values("community_id")).first()

    def labelled(result):
        needs, with_needs = result
        return {str(label): n for label, n in needs}, with_needs

    for ids in ([a.pk], [x.pk], [a.pk, x.pk], [x.pk, a.pk]):
        expected = labelled(selectors.needs(Resident.objects.filter(community__in=ids)))
        assert labelled(selectors.needs_in(ids)) == expected
        tags = list(CareTag.objects.filter(resident__community__in=ids))
        assert expected[1] == len({t.resident_id for t in tags})  # each resident once, whatever his needs
        assert sum(expected[0].values()) == len(tags)
    assert labelled(selectors.needs_in([a.pk, x.pk]))[0][str(CareKind.LIVING_ALONE.label)] >= 3
    assert selectors.needs_in([empty.pk]) == ([], 0)
    assert selectors.needs_in([]) == ([], 0)


def test_a_registry_pages_needs_are_those_the_viewer_may_see_whoever_asks_first(world):
    """``registry_rows`` reads a page's tags with a statement compiled once for every viewer: each viewer still gets
    only the tags his or her roles open (a community's staff theirs, another community's secretary none of them),
    whichever viewer the statement was compiled for, for pages of different lengths; the current carers too."""
    from django.utils import timezone

    from gongzhi.care.models import Pairing
    from tests.factories import MemberFactory

    residents = [ResidentFactory(name=f"页{i}", community=world.community_a) for i in range(3)]
    for resident in residents:
        CareTag.objects.create(resident=resident, kind="illness")
    CareTag.objects.create(resident=residents[0], kind="alone")
    carer = MemberFactory(home_org=world.branch_a)
    Pairing.objects.create(resident=residents[1], member=carer, started_on=timezone.localdate(), frequency_days=30)
    rows = [(r.pk, r.name, r.birth_year, None, r.community_id, "c", None, None, None) for r in residents]
    staff, foreign = world.users["community_staff"], world.users["foreign_secretary"]
    for viewers in ((foreign, staff), (staff, foreign)):
        for length in (1, 3):
            seen = {user: selectors.registry_rows(user, rows[:length]) for user in viewers}
            assert [r.kinds for r in seen[staff]] == [["alone", "illness"], ["illness"], ["illness"]][:length]
            assert all(r.kinds == [] for r in seen[foreign])
            assert [r.carers for r in seen[staff]] == [[], [carer.name], []][:length]
    assert selectors.registry_rows(staff, []) == []
