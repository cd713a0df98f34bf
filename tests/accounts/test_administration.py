"""Accounts and roles: accounts for people in the registry and outside people, one-time activation codes,
granting and ending roles within one's scope and rank, deactivation, bulk accounts for a branch, and the
separation of duties (the security administrator sees no personal data; the auditor writes nothing)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from gongzhi.accounts import services
from gongzhi.accounts.models import ActivationCode, Role, RoleKind, User
from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Member
from tests.factories import MemberFactory, valid_id_number
from tests.members.helpers import post

NEW_PASSWORD = "Qing-shan-2026!"
CODE = re.compile(r'data-code>([A-Z0-9-]+)<')


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def _activate(client, login, code, password=NEW_PASSWORD):
    return client.post("/accounts/activate/", {"login": login, "code": code, "password1": password,
                                               "password2": password})


def test_an_account_for_a_member_takes_name_and_mobile_from_the_record(world, client_for):
    member = Member.objects.get(pk=world.member_b.pk)
    member.mobile = "13912345678"
    member.save()
    response = post(client_for("community_secretary"), "/accounts/manage/new/", {"action": "member",
                                                                                 "person": member.pk})
    assert response.status_code == 200
    member.refresh_from_db()
    account = member.user
    assert account.display_name == "钱明" and account.mobile == "13912345678"
    assert not account.has_usable_password()
    assert account.home_organization == world.branch_b
    assert Role.objects.filter(user=account, kind=RoleKind.MEMBER, organization=world.branch_b).exists()
    assert CODE.search(response.content.decode())  # the slip shows the code, once
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="accounts.user.create", subject_user=account).exists()


def test_a_member_who_has_an_account_gets_no_second_one(world):
    with pytest.raises(ValidationError, match="已有账号"):
        services.create_account(home_organization=world.branch_a, member=world.member_a,
                                by=world.users["community_secretary"])


def test_the_activation_code_sets_the_password_once(world):
    account = services.create_account(home_organization=world.community_a, display_name="联络员",
                                      by=world.users["community_staff"])
    issued = services.issue_code(user=account, by=world.users["community_staff"])
    phone = Client()
    response = _activate(phone, account.username, issued.code.lower().replace("-", " "))
    assert response.status_code == 302 and response["Location"] == "/"
    assert phone.get("/").status_code == 200  # logged in
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    again = _activate(Client(), account.username, issued.code, "Another-pass-2026!")
    assert again.status_code == 400 and "不正确" in again.content.decode()
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_an_expired_code_is_refused(world):
    account = services.create_account(home_organization=world.community_a, display_name="联络员",
                                      by=world.users["community_staff"])
    issued = services.issue_code(user=account, by=world.users["community_staff"])
    assert issued.expires_at - timezone.now() > timedelta(days=6, hours=23)
    ActivationCode.objects.filter(user=account).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert _activate(Client(), account.username, issued.code).status_code == 400
    account.refresh_from_db()
    assert not account.has_usable_password()


def test_a_new_code_makes_the_earlier_one_stop_working(world):
    account = services.create_account(home_organization=world.community_a, display_name="联络员",
                                      by=world.users["community_staff"])
    first = services.issue_code(user=account, by=world.users["community_staff"])
    second = services.issue_code(user=account, by=world.users["community_staff"])
    assert _activate(Client(), account.username, first.code).status_code == 400
    assert _activate(Client(), account.username, second.code).status_code == 302


def test_five_wrong_codes_void_the_code_whatever_the_address(world):
    account = services.create_account(home_organization=world.community_a, display_name="联络员",
                                      by=world.users["community_staff"])
    issued = services.issue_code(user=account, by=world.users["community_staff"])
    for attempt in range(5):
        client = Client(REMOTE_ADDR=f"198.51.100.{attempt + 1}")
        assert _activate(client, account.username, "WRON-GCOD").status_code == 400
    assert _activate(Client(REMOTE_ADDR="198.51.100.99"), account.username, issued.code).status_code == 400
    assert ActivationCode.objects.get(user=account).revoked_at is not None


def test_activation_attempts_are_rate_limited_per_client(world, settings):
    settings.GONGZHI_RATE_LIMITS = {**settings.GONGZHI_RATE_LIMITS, "activation": (3, 600)}
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [_activate(client, f"nobody{i}", "AAAA-BBBB").status_code for i in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert _activate(Client(REMOTE_ADDR="203.0.113.8"), "nobody", "AAAA-BBBB").status_code == 400


def test_an_unknown_account_and_a_wrong_code_get_the_same_answer(world):
    unknown = _activate(Client(), "nobody", "AAAA-BBBB").content.decode()
    wrong = _activate(Client(), "member", "AAAA-BBBB").content.decode()
    message = "账号或激活码不正确"
    assert message in unknown and message in wrong


def test_a_weak_password_is_refused_and_the_code_still_works(world):
    account = services.create_account(home_organization=world.community_a, display_name="联络员",
                                      by=world.users["community_staff"])
    issued = services.issue_code(user=account, by=world.users["community_staff"])
    assert _activate(Client(), account.username, issued.code, "123").status_code == 400
    assert _activate(Client(), account.username, issued.code).status_code == 302


def test_a_reset_locks_the_old_password_out(world, client_for):
    member = User.objects.get(pk=world.users["member"].pk)  # not the shared object: its session hash changes
    response = post(client_for("community_staff"), f"/accounts/manage/{member.pk}/code/", {"purpose": "reset"})
    assert response.status_code == 200 and "重置" in response.content.decode()
    member.refresh_from_db()
    assert not member.has_usable_password()
    code = CODE.search(response.content.decode()).group(1)
    assert _activate(Client(), "member", code).status_code == 302


def test_a_community_secretary_cannot_grant_a_street_role(world, client_for):
    target = world.users["member"]
    response = post(client_for("community_secretary"), f"/accounts/manage/{target.pk}/roles/", {
        "kind": "street_admin", "organization": world.street_a.pk, "starts_on": "2026-01-01"})
    assert response.status_code == 400
    with pytest.raises(ValidationError, match="高于您本人的角色"):
        services.grant_role(user=target, kind=RoleKind.STREET_ADMIN, organization=world.street_a,
                            starts_on=date(2026, 1, 1), by=world.users["community_secretary"])
    assert not Role.objects.filter(user=target, kind=RoleKind.STREET_ADMIN).exists()


def test_nobody_grants_a_role_above_his_or_her_own(world):
    staff = world.users["community_staff"]
    with pytest.raises(ValidationError):
        services.grant_role(user=world.users["member"], kind=RoleKind.COMMUNITY_SECRETARY,
                            organization=world.community_a, starts_on=date(2026, 1, 1), by=staff)
    role = services.grant_role(user=world.users["member"], kind=RoleKind.BRANCH_SECRETARY,
                               organization=world.branch_a, starts_on=date(2026, 1, 1), by=staff)
    assert role.pk


def test_a_role_must_fit_the_kind_of_organization(world):
    with pytest.raises(ValidationError):
        services.grant_role(user=world.users["member"], kind=RoleKind.BRANCH_SECRETARY,
                            organization=world.community_a, starts_on=date(2026, 1, 1),
                            by=world.users["street_admin"])


def test_nobody_grants_himself_a_role(world):
    admin = world.users["street_admin"]
    with pytest.raises(ValidationError, match="不得给自己"):
        services.grant_role(user=admin, kind=RoleKind.COMMUNITY_SECRETARY, organization=world.community_a,
                            starts_on=date(2026, 1, 1), by=admin)


def test_the_security_administrator_is_never_also_the_auditor(world):
    with pytest.raises(ValidationError, match="不同的人"):
        services.grant_role(user=world.users["security_admin"], kind=RoleKind.AUDITOR,
                            organization=world.community_a, starts_on=date(2026, 1, 1),
                            by=world.users["street_admin"])


def test_an_ended_role_stops_giving_access(world, client_for):
    role = Role.objects.get(user=world.users["branch_secretary_a"])
    client = client_for("branch_secretary_a")
    assert client.get(f"/orgs/{world.branch_a.pk}/").status_code == 200
    services.end_role(role=role, on=timezone.localdate() - timedelta(days=1) if role.starts_on
                      < timezone.localdate() else timezone.localdate(), by=world.users["community_secretary"])
    assert client.get(f"/orgs/{world.branch_a.pk}/").status_code == 404


def test_a_deactivated_account_is_logged_out_and_keeps_its_history(world, client_for):
    client = client_for("member")
    assert client.get("/").status_code == 200
    response = post(client_for("community_staff"), f"/accounts/manage/{world.users['member'].pk}/deactivate/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # sent to the login page
    member = User.objects.get(pk=world.users["member"].pk)
    assert not member.is_active and Role.objects.filter(user=member).exists()
    assert AuditEvent.objects.filter(action="accounts.user.deactivate", subject_user=member).exists()


def test_accounts_for_a_whole_branch_with_a_sheet_of_slips(world, client_for):
    for name in ("周一", "吴二", "郑三"):
        MemberFactory(name=name, home_org=world.branch_b, community=world.community_a)
    client = client_for("security_admin")
    preview = client.get(f"/accounts/manage/bulk/?branch={world.branch_b.pk}").content.decode()
    assert "郑三" in preview
    response = post(client, "/accounts/manage/bulk/", {"branch": world.branch_b.pk})
    assert response.status_code == 200
    codes = CODE.findall(response.content.decode())
    assert len(codes) == 4  # the three and 钱明
    assert Role.objects.filter(kind=RoleKind.MEMBER, organization=world.branch_b).count() == 4
    again = post(client, "/accounts/manage/bulk/", {"branch": world.branch_b.pk})
    assert again.status_code == 302


def test_the_security_administrator_sees_no_personal_data(world, client_for):
    id_number = valid_id_number(date(1961, 7, 3))
    member = Member.objects.get(pk=world.member_b.pk)
    member.mobile, member.id_number, member.address = "13987654321", id_number, "幸福路8号"
    member.save()
    services.create_account(home_organization=world.branch_b, member=member, by=world.users["community_secretary"])
    account = User.objects.get(member=member)
    client = client_for("security_admin")
    pages = ["/accounts/manage/", f"/accounts/manage/{account.pk}/", "/accounts/manage/new/?q=钱",
             f"/accounts/manage/bulk/?branch={world.branch_b.pk}", "/", "/accounts/me/data/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in ("13987654321", id_number, id_number[6:14], "幸福路8号"):
            assert secret not in body, (url, secret)
    for url in (f"/members/{world.member_b.pk}/", "/members/", f"/orgs/{world.branch_b.pk}/"):
        assert client.get(url).status_code == 404, url
    # Searching by the ID number's last digits finds nobody (names only).
    assert "钱明" not in client.get(f"/accounts/manage/new/?q={id_number[-4:]}").content.decode()


def test_the_auditor_changes_nothing(world, client_for):
    client = client_for("auditor")
    before = (User.objects.count(), Role.objects.count(), AuditEvent.objects.count())
    target = world.users["member"]
    posts = [("/accounts/manage/new/", {"action": "outside", "display_name": "x", "organization": world.street_a.pk}),
             (f"/accounts/manage/{target.pk}/roles/", {"kind": "member", "organization": world.branch_a.pk,
                                                       "starts_on": "2026-01-01"}),
             (f"/accounts/manage/{target.pk}/code/", {}),
             (f"/accounts/manage/{target.pk}/deactivate/", {})]
    for url, data in posts:
        assert post(client, url, data).status_code == 404, url
    assert (User.objects.count(), Role.objects.count(), AuditEvent.objects.count()) == before
