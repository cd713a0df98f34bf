"""`gongzhi setup`: the first run of a real installation, without a superuser; it refuses a second run."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from gongzhi.accounts.models import Role, RoleKind, User
from gongzhi.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db

FLAGS = ["--no-input", "--kind", "street", "--code", "410102001", "--name", "幸福街道党工委", "--username", "jiedao",
         "--display-name", "王芳"]


def test_setup_creates_the_top_organization_and_its_administrator_with_a_one_time_code():
    out = StringIO()
    call_command("setup", *FLAGS, stdout=out)
    top = Organization.objects.get()
    assert (top.kind, top.code, top.parent) == (OrgKind.STREET, "410102001", None)
    admin = User.objects.get(username="jiedao")
    assert not admin.is_superuser and not admin.has_usable_password()
    assert Role.objects.filter(user=admin, organization=top, kind=RoleKind.STREET_ADMIN).exists()
    code = re.search(r"code for jiedao: ([A-Z0-9-]+)", out.getvalue()).group(1)
    response = Client().post("/accounts/activate/", {"login": "jiedao", "code": code, "password1": "Qing-shan-2026!",
                                                     "password2": "Qing-shan-2026!"})
    assert response.status_code == 302
    assert Client().login(username="jiedao", password="Qing-shan-2026!")


def test_setup_takes_the_password_from_an_environment_variable(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "Qing-shan-2026!")
    call_command("setup", *FLAGS, "--password-env", "FIRST_PASSWORD", stdout=StringIO())
    assert User.objects.get(username="jiedao").check_password("Qing-shan-2026!")


def test_setup_refuses_a_second_run():
    call_command("setup", *FLAGS, stdout=StringIO())
    with pytest.raises(CommandError, match="only once"):
        call_command("setup", *FLAGS[:-4], "--username", "other", "--display-name", "李四", stdout=StringIO())
    assert Organization.objects.count() == 1 and User.objects.count() == 1


def test_setup_refuses_a_weak_password_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("setup", *FLAGS, "--password-env", "FIRST_PASSWORD", stdout=StringIO())
    assert not Organization.objects.exists() and not User.objects.exists()


def test_setup_asks_interactively(monkeypatch):
    answers = iter(["", "410102002", "和平街道党工委", "admin", "李华", ""])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "Qing-shan-2026!")
    call_command("setup", stdout=StringIO())
    top = Organization.objects.get()
    assert top.kind == OrgKind.STREET and top.name == "和平街道党工委"
    assert User.objects.get(username="admin").check_password("Qing-shan-2026!")
