"""The audit log is append-only at the database level."""

import pytest
from django.db import DatabaseError, transaction

from gongzhi.core import audit
from gongzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_updated_or_deleted():
    event = audit.record(actor=None, action="test.action", detail={"n": 1})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


def test_a_person_sees_who_acted_on_his_or_her_records(world):
    me = world.users["member"]
    audit.record(actor=world.users["community_staff"], action="members.member.reveal", subject_user=me)
    audit.record(actor=world.users["community_staff"], action="members.member.reveal",
                 subject_user=world.users["resident"])
    assert [e.subject_user for e in AuditEvent.objects.visible_to(me)] == [me]
