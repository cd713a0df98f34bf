"""Personal data encrypted at rest (issue 21 items 1–4): the cipher, blind indexes, tampering, rotation,
the data migration's engine, the registry driving encryption, and no plain value in the database bytes."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.test.utils import isolate_apps

from gongzhi.core import crypto, keys, personal
from gongzhi.core.fields import is_encrypted, lookup
from gongzhi.members.models import Member, Resident
from tests.factories.core import MemberFactory, ResidentFactory, valid_id_number

ID = valid_id_number(date(1979, 4, 1), "female")  # ends in a check character, maybe X
KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()
INDEX = base64.b64encode(b"i" * 32).decode()


@pytest.fixture(autouse=True)
def _fresh_keyring():
    crypto.reset()
    yield
    crypto.reset()


def raw(model, pk, column):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def set_raw(model, pk, column, value):
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{model._meta.db_table}" SET "{column}" = %s WHERE id = %s', [value, pk])  # noqa: S608


# --- the cipher ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cipher, letter", [("aes", "v"), ("sm4", "s")])
def test_aes_and_sm4_round_trip_and_name_their_key(cipher, letter):
    ring = crypto.parse_keys(f"index:{INDEX},1:{KEY_A}", cipher=cipher)
    sealed = crypto.seal("河南省郑州市金水区幸福路8号", ring)
    assert sealed.startswith(f"{letter}1:") and "幸福路" not in sealed
    assert crypto.unseal(sealed, ring) == "河南省郑州市金水区幸福路8号"
    assert crypto.seal("x", ring) != crypto.seal("x", ring)  # a fresh nonce each time


def test_a_value_sealed_with_one_cipher_opens_after_the_setting_changed():
    aes = crypto.parse_keys(f"index:{INDEX},1:{KEY_A}", cipher="aes")
    sm4 = crypto.parse_keys(f"index:{INDEX},1:{KEY_A}", cipher="sm4")
    assert crypto.unseal(crypto.seal("13812345678", aes), sm4) == "13812345678"
    assert crypto.needs_rotation(crypto.seal("13812345678", aes), sm4)


@pytest.mark.parametrize("change", ["flip", "prefix", "truncate", "unknown_key", "plain"])
def test_tampering_is_detected(change):
    ring = crypto.parse_keys(f"index:{INDEX},1:{KEY_A}")
    sealed = crypto.seal(ID, ring)
    prefix, body = sealed.split(":")
    data = bytearray(base64.b64decode(body))
    if change == "flip":
        data[-3] ^= 1
        bad = f"{prefix}:{base64.b64encode(bytes(data)).decode()}"
    elif change == "prefix":
        bad = f"s1:{body}"
    elif change == "truncate":
        bad = f"{prefix}:{base64.b64encode(bytes(data[:20])).decode()}"
    elif change == "unknown_key":
        bad = f"v7:{body}"
    else:
        bad = ID
    with pytest.raises(crypto.TamperedValue):
        crypto.unseal(bad, ring)


def test_keys_from_json_pairs_or_a_file(tmp_path):
    pairs = crypto.parse_keys(f"index:{INDEX},1:{KEY_A},2:{KEY_B}")
    document = crypto.parse_keys(json.dumps({"index": INDEX, "1": KEY_A, "2": KEY_B}))
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"index": INDEX, "1": KEY_A, "2": KEY_B}))
    from_file = crypto.parse_keys(str(path))
    assert pairs.keys == document.keys == from_file.keys and pairs.current == 2 and from_file.source == str(path)
    for bad in ("", f"1:{KEY_A}", f"index:{INDEX}", f"index:{INDEX},1:c2hvcnQ=", str(tmp_path / "missing.json")):
        with pytest.raises(crypto.MissingKeys):
            crypto.parse_keys(bad)
    grown = crypto.parse_keys(crypto.add_version(json.dumps({"index": INDEX, "1": KEY_A})))
    assert grown.current == 2 and grown.keys[1] == b"a" * 32 and grown.index_key == b"i" * 32


def test_blind_indexes_normalise_and_depend_on_the_index_key_only():
    one = crypto.parse_keys(f"index:{INDEX},1:{KEY_A}")
    two = crypto.parse_keys(f"index:{INDEX},1:{KEY_A},2:{KEY_B}")
    other_index = crypto.parse_keys(f"index:{KEY_B},1:{KEY_A}")
    assert crypto.blind_index("id", "11010519491231002x", one) == crypto.blind_index("id", "11010519491231002X", two)
    assert crypto.blind_index("phone", "138-1234-5678", one) == crypto.blind_index("phone", "13812345678", one)
    assert crypto.blind_index("id", ID, one) != crypto.blind_index("id", ID, other_index)
    assert crypto.blind_index("phone", "", one) is None
    sm4 = crypto.parse_keys(f"index:{INDEX},1:{KEY_A}", cipher="sm4")
    assert crypto.blind_index("id", ID, sm4) != crypto.blind_index("id", ID, one)  # HMAC-SM3
    assert crypto.blind_indexes("id", ID, sm4) == [crypto.blind_index("id", ID, sm4)]
    with override_settings(GONGZHI_CIPHER_PREVIOUS="aes"):  # while a switch to SM4 is rotated through
        assert crypto.blind_index("id", ID, one) in crypto.blind_indexes("id", ID, sm4)


# --- the fields ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_orm_reads_and_writes_plain_values_and_the_column_holds_ciphertext(world):
    member = MemberFactory(home_org=world.branch_a, id_number=ID, mobile="13900001111", address="幸福路8号3单元")
    stored = raw(Member, member.pk, "id_number")
    assert crypto.is_sealed(stored) and ID not in stored
    assert crypto.is_sealed(raw(Member, member.pk, "mobile")) and crypto.is_sealed(raw(Member, member.pk, "address"))
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.id_number, fresh.mobile, fresh.address) == (ID, "13900001111", "幸福路8号3单元")
    assert fresh.id_number_last4 == ID[-4:] and fresh.mobile_last4 == "1111"
    # exact search through the blind index, whatever the case of the X, and across a join
    assert list(Member.objects.filter(id_number=ID.lower())) == [fresh]
    assert list(Member.objects.filter(lookup(Member, "mobile", "139-0000-1111"))) == [fresh]
    assert list(Member.objects.filter(id_number__in=[ID, "nothing"])) == [fresh]
    assert Member.objects.search(ID).filter(pk=member.pk).exists()
    assert Member.objects.search(ID[-4:]).filter(pk=member.pk).exists()
    # a change through save(update_fields=...) keeps the index in step
    fresh.mobile = "13700002222"
    fresh.save(update_fields=["mobile"])
    assert Member.objects.filter(lookup(Member, "mobile", "13700002222")).get() == fresh
    assert not Member.objects.filter(lookup(Member, "mobile", "13900001111")).exists()


@pytest.mark.django_db
def test_a_lookup_that_cannot_go_through_an_index_refuses_instead_of_matching_nothing(world):
    with pytest.raises(FieldError):
        list(Member.objects.filter(address="幸福路8号"))
    with pytest.raises(FieldError):
        list(Member.objects.filter(id_number__endswith="1234"))
    member = MemberFactory(home_org=world.branch_a, address="")
    assert Member.objects.filter(address="", pk=member.pk).exists()  # the empty value is stored as it is


@pytest.mark.django_db(transaction=True)
def test_one_member_and_one_resident_per_id_number_through_the_blind_index(world):
    MemberFactory(home_org=world.branch_a, id_number=ID)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(home_org=world.branch_b, id_number=ID.lower())
    ResidentFactory(community=world.community_a, id_number=ID)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(community=world.community_a, id_number=ID)
    ResidentFactory(community=world.community_a, id_number=None)
    ResidentFactory(community=world.community_a, id_number=None)  # many without an ID number
    assert Resident.objects.filter(id_number_bidx__isnull=True).count() >= 2


@pytest.mark.django_db
def test_a_tampered_value_is_shown_as_an_error_not_as_wrong_data(world):
    member = world.member_a
    stored = raw(Member, member.pk, "id_number")
    prefix, body = stored.split(":")
    data = bytearray(base64.b64decode(body))
    data[14] ^= 0x55
    set_raw(Member, member.pk, "id_number", f"{prefix}:{base64.b64encode(bytes(data)).decode()}")
    with pytest.raises(crypto.TamperedValue):
        Member.objects.get(pk=member.pk)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["community_secretary"])
    response = client.get(f"/members/{member.pk}/")
    assert response.status_code == 500
    assert 'id="tampered"' in response.content.decode()


@pytest.mark.django_db
def test_list_pages_mask_from_the_last_four_without_decrypting(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.users["community_secretary"])
    calls = []
    real = crypto.unseal

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    import gongzhi.core.fields as fields_module

    fields_module.crypto.unseal, saved = counting, fields_module.crypto.unseal
    try:
        with django_assert_max_num_queries(30):
            page = client.get("/members/")
        residents = client.get("/members/residents/")
    finally:
        fields_module.crypto.unseal = saved
    assert page.status_code == 200 and residents.status_code == 200
    assert world.member_a.id_number[-4:] in page.content.decode()
    assert world.member_a.id_number not in page.content.decode()
    assert calls == []  # nothing decrypted to show the lists


# --- the registry drives it ------------------------------------------------------------------------------------


def test_every_sensitive_field_and_every_id_number_phone_and_address_is_encrypted():
    from django.apps import apps

    must = {"members.member.id_number", "members.resident.id_number", "members.member.mobile",
            "members.resident.phone", "members.member.address", "care.caretag.note", "care.visit.note",
            "care.visit.need", "care.caretag.kind", "money.duesbase.amount", "voice.request.contact_phone",
            "voice.request.address", "accounts.user.mobile"}
    seen = set()
    for (label, name), entry in personal.REGISTRY.items():
        field = apps.get_model(label)._meta.get_field(name)
        if entry.encrypted:
            assert is_encrypted(field), f"{label}.{name} is registered {entry.category}/{entry.mask} but not encrypted"
            assert not field.unique, f"{label}.{name}: an encrypted column cannot be unique (use its blind index)"
            seen.add(f"{label}.{name}")
        elif personal.must_encrypt(entry.category, entry.mask):
            assert entry.plain, f"{label}.{name} is sensitive and neither encrypted nor explained"
    assert must <= seen
    plain = {f"{k[0]}.{k[1]}" for k, e in personal.REGISTRY.items() if e.plain}
    assert plain == set()  # every registered sensitive field is encrypted (docs/security.md)


@isolate_apps("gongzhi.core")
def test_registering_a_plain_field_makes_it_encrypted():
    from django.db import models

    from gongzhi.core.fields import EncryptedCharField, seal_field

    class Applicant(models.Model):  # noqa: DJ008
        id_card = models.CharField(max_length=18, blank=True)
        unique_card = models.CharField(max_length=18, unique=True)

        class Meta:
            app_label = "core"
            managed = False

    seal_field(Applicant, "id_card")
    assert isinstance(Applicant._meta.get_field("id_card"), EncryptedCharField)
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        seal_field(Applicant, "unique_card")


# --- rotation and the data migration's engine ---------------------------------------------------------------


def _two_keys():
    return override_settings(GONGZHI_DATA_KEYS=f"{_test_keys()},2:{KEY_B}")


def _test_keys():
    from django.conf import settings

    return settings.GONGZHI_DATA_KEYS


@pytest.mark.django_db
def test_rotation_with_writes_meanwhile_loses_nothing_and_leaves_nothing_on_the_old_key(world):
    members = [MemberFactory(home_org=world.branch_a, mobile=f"1390000{i:04d}", address=f"幸福路{i}号")
               for i in range(7)]
    assert keys.stale_count(keys.status()) == 0
    with _two_keys():
        crypto.reset()
        assert keys.stale_count(keys.status()) > 0
        target = members[3]
        real = crypto.unseal
        wrote = []

        def unseal_and_write_meanwhile(value, ring=None):
            # the site changes a member's mobile number between the rotation's read and its write
            if not wrote and value == raw(Member, target.pk, "mobile"):
                wrote.append(1)
                changed = Member.objects.get(pk=target.pk)
                changed.mobile = "13611112222"
                changed.save(update_fields=["mobile"])
            return real(value, ring)

        keys.crypto.unseal = unseal_and_write_meanwhile
        try:
            done = keys.rotate(batch=3)
        finally:
            keys.crypto.unseal = real
        assert wrote and done["members.member"].get("changed meanwhile") == 1
        assert Member.objects.get(pk=target.pk).mobile == "13611112222"  # the site's write won
        left = keys.stale_count(keys.status())
        if left:  # the one row written meanwhile may hold other fields on v1: a second pass finishes
            keys.rotate()
        report = keys.status()
        assert keys.stale_count(report) == 0
        assert "v1" not in keys.versions_in_use(report) and keys.versions_in_use(report)["v2"] > 0
        for i, member in enumerate(members):
            fresh = Member.objects.get(pk=member.pk)
            assert fresh.address == f"幸福路{i}号"
            if member.pk != target.pk:
                assert fresh.mobile == f"1390000{i:04d}"
        assert Member.objects.filter(id_number=members[0].id_number).get().pk == members[0].pk


@pytest.mark.django_db
def test_keys_rotate_runs_as_a_background_job_with_progress(world, django_capture_on_commit_callbacks):
    from gongzhi.core.models import Job, JobStatus

    with _two_keys():
        crypto.reset()
        with django_capture_on_commit_callbacks(execute=True):
            job = keys.start_rotation()
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.progress >= job.total > 0
        assert "v1" not in job.result["in_use"]
    assert Job.objects.filter(kind="core.keys.rotate").count() == 1


@pytest.mark.django_db
def test_keys_command_status_and_retire(world, tmp_path, capsys):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"index": INDEX, "1": KEY_A}))
    call_command("keys", "add-version", "--file", str(path))
    assert crypto.parse_keys(str(path)).current == 2
    call_command("keys", "status")
    out = capsys.readouterr().out
    assert "members.member.id_number" in out and "v1" in out
    with pytest.raises(Exception, match="rotate"):
        call_command("keys", "retire", "--file", str(path), "--version", "1")


@pytest.mark.django_db
def test_the_data_migration_seals_plain_rows_and_fills_their_indexes(world):
    """What ``encrypt_existing`` does to rows written before this change (plain values, empty indexes)."""
    member = MemberFactory(home_org=world.branch_a, id_number=ID, mobile="13900003333", address="幸福路9号")
    set_raw(Member, member.pk, "id_number", ID)
    set_raw(Member, member.pk, "mobile", "13900003333")
    set_raw(Member, member.pk, "address", "幸福路9号")
    set_raw(Member, member.pk, "id_number_bidx", None)
    set_raw(Member, member.pk, "id_number_last4", "")
    from django.apps import apps

    operation = keys.encrypt_existing("members.Member")
    operation.code(apps, type("Editor", (), {"connection": connection})())
    assert all(crypto.is_sealed(raw(Member, member.pk, c)) for c in ("id_number", "mobile", "address"))
    fresh = Member.objects.get(id_number=ID)
    assert (fresh.pk, fresh.mobile, fresh.address, fresh.id_number_last4) == (member.pk, "13900003333", "幸福路9号",
                                                                             ID[-4:])
    operation.reverse_code(apps, type("Editor", (), {"connection": connection})())
    assert raw(Member, member.pk, "id_number") == ID  # the migration can be undone


# --- a copy of the database reveals nothing ------------------------------------------------------------------


def _demo_plain_values() -> set[str]:
    from gongzhi.accounts.models import User
    from gongzhi.voice.models import Request

    values = set()
    for member in Member.objects.all():
        values.update(v for v in (member.id_number, member.mobile, member.address) if v)
    for resident in Resident.objects.all():
        values.update(v for v in (resident.id_number, resident.phone) if v)
    for request in Request.objects.all():
        values.update(v for v in (request.contact_phone, request.address) if v)
    values.update(m for m in User.objects.exclude(mobile=None).values_list("mobile", flat=True) if m)
    return {v for v in values if len(v) >= 7}


def _database_bytes(tmp_path: Path) -> bytes:
    if connection.vendor == "sqlite":
        import sqlite3

        path = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return path.read_bytes()
    pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    settings = connection.settings_dict
    return subprocess.run([pg_dump,  # noqa: S603 "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
                           "-U", settings["USER"] or "postgres", settings["NAME"]], check=True, capture_output=True,
                          env={"PGPASSWORD": settings.get("PASSWORD") or ""}, timeout=300).stdout


@pytest.mark.django_db(transaction=True)
def test_no_plain_id_number_phone_or_address_of_the_demo_in_the_database_bytes(tmp_path, committed_demo):
    values = _demo_plain_values()
    assert len(values) > 100
    data = _database_bytes(tmp_path)
    assert len(data) > 100_000
    found = sorted(_occurring(values, data))
    assert found == [], f"{len(found)} plain values in the database bytes, e.g. {found[:5]}"


def _occurring(values: set[str], data: bytes) -> set[str]:
    """The values whose UTF-8 bytes occur in ``data``. One ``bytes.find`` scan per distinct 3-byte start
    (a few dozen: ID numbers and phones share their first digits) instead of one scan per value (thousands)."""
    encoded = {value.encode(): value for value in values}
    by_start: dict[bytes, dict[int, set[bytes]]] = {}
    for raw_value in encoded:
        by_start.setdefault(raw_value[:3], {}).setdefault(len(raw_value), set()).add(raw_value)
    found = set()
    for start, by_length in by_start.items():
        at = data.find(start)
        while at != -1:
            found.update(encoded[data[at:at + n]] for n, group in by_length.items() if data[at:at + n] in group)
            at = data.find(start, at + 1)
    return found


def test_the_byte_search_finds_every_planted_value_and_nothing_else():
    values = {"11010519491231002X", "13900001111", "幸福路9号1栋", "13900001112"}
    data = b"\x00\x01" + "幸福路9号1栋".encode() + b"gz1:13900001112" + b"1390000111-" + b"11010519491231002X\xff"
    assert _occurring(values, data) == {"11010519491231002X", "幸福路9号1栋", "13900001112"}


@pytest.mark.django_db
def test_queryset_update_with_sealed_update_keeps_the_index_in_step(world):
    from gongzhi.core.fields import sealed_update

    resident = ResidentFactory(community=world.community_a, id_number=ID, phone="13911112222")
    Resident.objects.filter(pk=resident.pk).update(**sealed_update(Resident, phone="", id_number=None))
    fresh = Resident.objects.get(pk=resident.pk)
    assert (fresh.phone, fresh.id_number, fresh.phone_last4, fresh.id_number_bidx) == ("", None, "", None)
    assert not Resident.objects.filter(id_number=ID).exists()
