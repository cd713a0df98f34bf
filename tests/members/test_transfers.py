import pytest
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Member, MembershipEvent, Transfer, TransferStatus

from .helpers import post

pytestmark = pytest.mark.django_db


def test_branch_sends_and_receiving_branch_accepts(world, client_for):
    sender = client_for("branch_secretary_b")
    post(sender, reverse("members:transfer_new"), {"member": world.member_b.pk, "to_org": world.branch_a.pk,
                                                   "reason": "搬家"})
    transfer = Transfer.objects.get(member=world.member_b)
    assert (transfer.from_org, transfer.to_org, transfer.status) == (world.branch_b, world.branch_a, "pending")
    assert Member.objects.get(pk=world.member_b.pk).home_org == world.branch_b
    # The sender cannot accept on the receiver's behalf.
    assert post(sender, reverse("members:transfer_decide", args=[transfer.pk]),
                {"decision": "accept"}).status_code == 404
    receiver = client_for("branch_secretary_a")
    assert reverse("members:transfer_decide", args=[transfer.pk]) in receiver.get(
        reverse("members:transfers")).content.decode()
    post(receiver, reverse("members:transfer_decide", args=[transfer.pk]), {"decision": "accept"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.decided_by == world.users["branch_secretary_a"]
    assert Member.objects.get(pk=world.member_b.pk).home_org == world.branch_a
    event = MembershipEvent.objects.get(member=world.member_b)
    assert (event.kind, event.from_value, event.to_value) == ("organization", "第二网格党支部", "第一网格党支部")
    assert AuditEvent.objects.filter(action="members.transfer.accept").count() == 1


def test_rejected_transfer_leaves_the_membership(world, client_for):
    transfer = Transfer.objects.create(member=world.member_b, from_org=world.branch_b, to_org=world.branch_a)
    post(client_for("branch_secretary_a"), reverse("members:transfer_decide", args=[transfer.pk]),
         {"decision": "reject"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REJECTED
    assert Member.objects.get(pk=world.member_b.pk).home_org == world.branch_b


def test_only_one_pending_transfer_per_member(world, client_for):
    client = client_for("community_secretary")
    for target in (world.branch_a, world.branch_x):
        post(client, reverse("members:transfer_new"), {"member": world.member_b.pk, "to_org": target.pk})
    assert Transfer.objects.filter(member=world.member_b).count() == 1


def test_branch_secretary_cannot_send_another_branchs_member(world, client_for):
    post(client_for("branch_secretary_a"), reverse("members:transfer_new"),
         {"member": world.member_b.pk, "to_org": world.branch_a.pk})
    assert not Transfer.objects.exists()
