"""News and notices: each reaches the people it is addressed to; nobody is made to read and no reading is
counted; a notice may ask for "I have read it", once per reader, with the share shown to staff."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.core.models import Notification
from gongzhi.publicity import selectors, services
from gongzhi.publicity.models import Acknowledgement, PostKind, PostPhoto, PostStatus
from tests.factories import ResidentFactory, UserFactory

from . import factories


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _feed(world, persona):
    return {p.title for p in selectors.feed_for(world.users[persona])}


def test_each_post_reaches_the_people_it_is_addressed_to(world):
    factories.post(world, title="全社区新闻")
    factories.post(world, title="第一网格停水", kind=PostKind.NOTICE, grids=[world.grid_a], to_public=False,
                   to_members=False)
    factories.post(world, title="第二网格停电", kind=PostKind.NOTICE, grids=[world.grid_b], to_public=False,
                   to_members=False)
    factories.post(world, title="党员学习通知", kind=PostKind.NOTICE, to_public=False, to_residents=False)
    factories.post(world, title="草稿", publish=False)
    factories.post(world, community=world.community_x, title="外街新闻")
    assert _feed(world, "resident") == {"全社区新闻", "第一网格停水"}  # 孙丽 lives in grid A
    assert _feed(world, "member") == {"全社区新闻", "党员学习通知"}
    assert _feed(world, "community_staff") == {"全社区新闻", "第一网格停水", "第二网格停电", "党员学习通知"}
    assert _feed(world, "foreign_secretary") == {"外街新闻"}
    assert _feed(world, "unit_admin") == set()


def test_a_notice_asks_for_i_have_read_it_once_per_reader_and_staff_see_the_share(world, client_for):
    ResidentFactory(name="王五", community=world.community_a, household=world.household_a, user=UserFactory())
    notice = factories.post(world, title="第一网格停水", kind=PostKind.NOTICE, needs_ack=True, grids=[world.grid_a],
                            to_public=False, to_members=False)
    resident = client_for("resident")
    assert factories.form_post(resident, f"/publicity/news/{notice.pk}/read/").status_code == 302
    assert factories.form_post(resident, f"/publicity/news/{notice.pk}/read/").status_code == 302
    api = factories.api_post(resident, f"/api/publicity/news/{notice.pk}/read")
    assert api.status_code == 200 and api.json()["created"] is False
    assert Acknowledgement.objects.filter(post=notice).count() == 1
    assert 'id="acknowledged"' in resident.get(f"/publicity/news/{notice.pk}/").content.decode()
    share = selectors.ack_share(notice)
    assert share == {"acknowledged": 1, "audience": 2, "share": 0.5}
    staff_page = client_for("community_staff").get(f"/publicity/news/{notice.pk}/").content.decode()
    assert 'id="ack-share"' in staff_page and "50.0%" in staff_page
    # Not among the readers: the grid B household is not addressed, and a foreign user finds nothing.
    assert factories.form_post(client_for("foreign_secretary"), f"/publicity/news/{notice.pk}/read/").status_code \
        == 404


def test_only_a_notice_may_ask_for_confirmation(world):
    news = factories.post(world, title="新闻")
    with pytest.raises(ValidationError):
        services.acknowledge(post=news, user=world.users["resident"])
    with pytest.raises(ValidationError):
        services.save_post(organization=world.community_a, kind=PostKind.NEWS, title="x", body="x", needs_ack=True,
                           by=world.users["community_staff"])
    with pytest.raises(ValidationError):
        services.save_post(organization=world.community_a, kind=PostKind.NEWS, title="x", body="x",
                           to_public=False, to_residents=False, to_members=False, by=world.users["community_staff"])
    with pytest.raises(ValidationError):
        services.save_post(organization=world.community_a, kind=PostKind.NEWS, title="x", body="x",
                           grids=[world.grid_x], by=world.users["community_staff"])


def test_reading_a_post_writes_nothing(world, client_for):
    """No forced reading and no reading counted: opening the feed or a post changes no table (the session
    aside)."""
    post = factories.post(world, title="社区新闻", kind=PostKind.NOTICE, needs_ack=True)
    client = client_for("resident")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/publicity/news/").status_code == 200
        assert client.get(f"/publicity/news/{post.pk}/").status_code == 200
        assert client_for("anonymous").get(f"/publicity/c/{world.community_a.code}/news/{post.pk}/").status_code \
            in (200, 404)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "django_session" not in q["sql"]]
    assert writes == []


def test_a_notice_is_announced_to_its_readers_news_is_not(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.post(world, title="社区新闻")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        notice = factories.post(world, title="停水通知", kind=PostKind.NOTICE, grids=[world.grid_a],
                                to_public=False, to_members=False)
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["resident"]
    assert Notification.objects.get().url == f"/publicity/news/{notice.pk}/"


def test_photos_are_checked_and_only_added_to_drafts(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = factories.post(world, publish=False)
    staff = client_for("community_staff")
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", "image/jpeg")
    assert factories.form_post(staff, f"/publicity/news/{draft.pk}/photos/", {"file": fake}).status_code == 302
    assert not PostPhoto.objects.exists()
    assert factories.form_post(staff, f"/publicity/news/{draft.pk}/photos/", {"file": factories.png(),
                                                                             "caption": "清理楼道"}).status_code == 302
    assert PostPhoto.objects.get().caption == "清理楼道"
    services.publish_post(post=draft, by=world.users["community_staff"])
    with pytest.raises(ValidationError):
        services.add_photo(post=draft, upload=factories.png(), by=world.users["community_staff"])


def test_news_links_an_activity_of_the_community(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from gongzhi.service.models import Activity

    now = timezone.now()
    activity = Activity.objects.create(organization=world.branch_a, title="楼道清理", place="1号楼",
                                       starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-2))
    foreign = Activity.objects.create(organization=world.branch_x, title="外街活动", place="外街",
                                      starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-2))
    staff = client_for("community_staff")
    form = staff.get("/publicity/news/new/").context["form"]
    assert list(form.fields["activity"].queryset) == [activity]
    response = factories.form_post(staff, "/publicity/news/new/", {
        "organization": world.community_a.pk, "kind": "news", "title": "楼道清理活动", "body": "党员群众一起参加。",
        "activity": foreign.pk, "to_public": "on"})
    assert response.status_code == 400
    response = factories.form_post(staff, "/publicity/news/new/", {
        "organization": world.community_a.pk, "kind": "news", "title": "楼道清理活动", "body": "党员群众一起参加。",
        "activity": activity.pk, "to_public": "on"})
    assert response.status_code == 302
    from gongzhi.publicity.models import Post

    post = Post.objects.get(title="楼道清理活动")
    assert post.activity == activity and post.status == PostStatus.DRAFT


def test_a_withdrawn_post_leaves_the_feed(world):
    post = factories.post(world, title="有误的通知")
    services.withdraw_post(post=post, by=world.users["community_staff"], reason="时间有误")
    assert _feed(world, "resident") == set()
    with pytest.raises(ValidationError):
        services.save_post(post=post, organization=world.community_a, kind=PostKind.NEWS, title="改", body="改",
                           by=world.users["community_staff"])
