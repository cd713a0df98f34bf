"""A person sees and downloads everything held about him or her, including who revealed it."""

import json

from gongzhi.core import audit
from gongzhi.core.models import AuditEvent


def test_a_member_sees_the_own_full_record_and_who_looked_at_it(world, client_for):
    audit.record(actor=world.users["community_staff"], action="members.reveal", obj=world.member_a,
                 subject_user=world.users["member"])
    body = client_for("member").get("/accounts/me/data/").content.decode()
    assert world.member_a.id_number in body and world.member_a.mobile in body
    assert "members.reveal" in body and str(world.users["community_staff"]) in body
    assert world.member_b.name not in body


def test_the_download_holds_the_same_and_is_logged(world, client_for):
    response = client_for("member").get("/accounts/me/data/download/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert any(world.member_a.id_number in r["fields"].values() for r in data["records"])
    assert AuditEvent.objects.filter(action="accounts.download_own_data",
                                     subject_user=world.users["member"]).count() == 1


def test_a_resident_sees_the_resident_record(world, client_for):
    body = client_for("resident").get("/accounts/me/data/").content.decode()
    assert world.resident_a.phone in body
