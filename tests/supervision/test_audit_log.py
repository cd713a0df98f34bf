"""The auditor reads the audit log of his or her scope with filters and a masked, logged export; changes
nothing; and never audits his or her own actions alone."""

from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl
import pytest

from gongzhi.core import audit
from gongzhi.core.models import AuditEvent


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def test_the_export_is_masked_filtered_and_logged(world, client_for):
    audit.record(actor=world.users["community_secretary"], action="members.member.reveal",
                 organization=world.community_a, detail={})
    audit.record(actor=world.users["community_staff"], action="accounts.user.create",
                 organization=world.community_a, detail={})
    client = client_for("auditor")
    response = client.get("/supervision/audit/export.xlsx?action=members")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    actions = [sheet.cell(row=r, column=3).value for r in range(2, sheet.max_row + 1)]
    assert actions and all(a.startswith("members") for a in actions)
    logged = AuditEvent.objects.filter(action="supervision.audit.export", actor=world.users["auditor"]).get()
    assert logged.detail["rows"] == len(actions) and logged.detail["action"] == "members"


def test_masks_of_the_export():
    from gongzhi.supervision.audit_views import mask_free_text, mask_ip

    assert mask_ip("192.0.2.44") == "192.0.2.*"
    text = mask_free_text("王芳 41010219850312002X 13912345678")
    assert "19850312" not in text and "13912345678" not in text and "王芳" in text


def test_nobody_audits_his_or_her_own_actions(world, client_for):
    auditor = world.users["auditor"]
    audit.record(actor=auditor, action="accounts.code.reset", organization=world.community_a, detail={})
    audit.record(actor=world.users["community_staff"], action="accounts.code.reset",
                 organization=world.community_a, detail={})
    page = client_for("auditor").get("/supervision/audit/?action=accounts.code").content.decode()
    rows = page.count("accounts.code.reset")
    assert rows == 1  # the staff member's, not the auditor's own
    assert AuditEvent.objects.filter(actor=auditor, action="accounts.code.reset").exists()


def test_the_auditor_can_change_nothing(world, client_for):
    from tests.members.helpers import post

    client = client_for("auditor")
    before = AuditEvent.objects.count()
    for url in (f"/orgs/{world.community_a.pk}/new/", f"/orgs/{world.branch_a.pk}/edit/",
                f"/orgs/{world.community_a.pk}/grids/new/", "/orgs/setup/import/confirm/",
                "/accounts/manage/new/", f"/members/{world.member_a.pk}/edit/"):
        assert post(client, url, {"name": "x", "code": "x", "kind": "branch"}).status_code == 404, url
    assert AuditEvent.objects.count() == before
