import pytest
from django.urls import reverse

from gongzhi.members.models import Post

from .helpers import post

pytestmark = pytest.mark.django_db


def test_branch_secretary_assigns_a_post_shown_on_the_member_record_then_ends_it(world, client_for):
    client = client_for("branch_secretary_a")
    post(client, reverse("members:post_new"), {"organization": world.group_a1.pk, "member": world.member_a.pk,
                                               "title": "楼栋长", "duties": "联系1号楼住户"})
    item = Post.objects.get(member=world.member_a)
    assert (item.organization, item.title, item.created_by) == (
        world.group_a1, "楼栋长", world.users["branch_secretary_a"])
    record = client_for("member").get(reverse("members:detail", args=[world.member_a.pk]))
    assert "楼栋长" in record.content.decode()
    post(client, reverse("members:post_end", args=[item.pk]))
    item.refresh_from_db()
    assert item.ends_on is not None
    assert "楼栋长" not in client.get(reverse("members:posts")).content.decode()


def test_post_refused_for_a_member_of_another_branch(world, client_for):
    post(client_for("community_secretary"), reverse("members:post_new"),
         {"organization": world.branch_a.pk, "member": world.member_b.pk, "title": "宣传委员"})
    assert not Post.objects.exists()
