"""The demo's story: 幸福社区 publishes its quarter on the board, the supervision committee checks the funds and
follows a rectification to closure, and a resident's anonymous report reaches the committee and not the
community secretary it names."""

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.models import Notification
from gongzhi.core.periods import Period
from gongzhi.orgs.models import Organization
from gongzhi.publicity import catalogue
from gongzhi.publicity.models import Acknowledgement, Item, ItemStatus, Post, PostKind
from gongzhi.supervision import services
from gongzhi.supervision.demo import DEMO_RECEIPT
from gongzhi.supervision.models import Complaint, Rectification, RectificationStatus, SupervisionItem

pytestmark = pytest.mark.django_db(transaction=True)  # the demo as committed (``committed_demo``)


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_tells_the_transparency_and_supervision_story(committed_demo):
    today = timezone.localdate()
    xingfu = Organization.objects.get(name="幸福社区党委")
    last_quarter = Period.containing("quarter", today).previous()
    dues = [d for d in catalogue.dues_for([xingfu], today) if d.period == last_quarter]
    assert len(dues) >= 3 and all(d.met for d in dues)
    assert any(d.entry.key == "finance.dues_funds" and d.on_time for d in dues)
    assert not [d for d in catalogue.overdue([xingfu], today) if d.entry.key == "finance.dues_funds"]
    assert catalogue.overdue(list(Organization.objects.filter(parent=xingfu.parent, kind="community")), today)
    assert Item.objects.filter(organization=xingfu, status=ItemStatus.WITHDRAWN).get().corrections.exists()
    assert Item.objects.filter(organization=xingfu, status=ItemStatus.PENDING).exists()
    news = Post.objects.get(organization=xingfu, kind=PostKind.NEWS)
    assert news.activity is not None and news.photos.count() == 2
    notice = Post.objects.get(organization=xingfu, needs_ack=True)
    assert not Acknowledgement.objects.filter(post=notice).exists()
    assert Notification.objects.filter(user__username="jumin", url=f"/publicity/news/{notice.pk}/").exists()
    public = Client().get(f"/publicity/c/{xingfu.code}/").content.decode()
    assert "党费和经费收支公开" in public

    assert SupervisionItem.objects.filter(organization=xingfu).count() == 2
    rectification = Rectification.objects.get()
    assert rectification.status == RectificationStatus.CLOSED and rectification.closed_on_time
    assert rectification.evidence.exists()

    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.submitted_by is None and complaint.subject_user.username == "shuji"
    assert services.find_by_receipt(DEMO_RECEIPT) == complaint
    assert _client("jiandu").get(f"/supervision/complaints/{complaint.pk}/").status_code == 200
    assert _client("shuji").get(f"/supervision/complaints/{complaint.pk}/").status_code == 404
    assert complaint.reference not in _client("shuji").get("/supervision/complaints/").content.decode()
    assert Notification.objects.filter(user__username="jiandu", url__contains="/complaints/").exists()
    assert not Notification.objects.filter(user__username="shuji", url__contains="/complaints/").exists()
