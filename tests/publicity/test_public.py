"""The public page of each community (no login): only published items, an archive where withdrawn items keep
their history but not their text, no personal data, and residents' questions that become requests answered
within the request deadlines."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongzhi.publicity import services
from gongzhi.publicity.models import ItemQuestion, ItemStatus, PostKind
from gongzhi.voice import services as voice
from gongzhi.voice.models import Category, Channel, Request, Status

from . import factories


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def board(world):
    today = timezone.localdate()
    world.current = factories.item(world, title="第一季度经费公开", body="支出慰问经费3000元。")
    world.ended = factories.item(world, title="去年第四季度经费公开", visible_from=today - timedelta(days=200),
                                 visible_until=today - timedelta(days=100))
    world.withdrawn = factories.item(world, status=ItemStatus.WITHDRAWN, title="有误的公开", body="错误的金额9999元")
    world.draft = factories.item(world, status=ItemStatus.DRAFT, title="尚未审核的草稿")
    world.pending = factories.item(world, status=ItemStatus.PENDING, title="等待审核的事项")
    world.approved = factories.item(world, status=ItemStatus.APPROVED, title="已审核未发布的事项")
    world.scheduled = factories.item(world, title="下周才上墙的事项", visible_from=today + timedelta(days=7))
    world.foreign = factories.item(world, community=world.community_x, title="外街社区的公开")
    return world


def test_the_public_page_shows_only_what_is_published_and_current(board, client_for):
    html = client_for("anonymous").get(f"/publicity/c/{board.community_a.code}/").content.decode()
    assert "第一季度经费公开" in html
    for hidden in ("去年第四季度经费公开", "有误的公开", "尚未审核的草稿", "等待审核的事项", "已审核未发布的事项",
                   "下周才上墙的事项", "外街社区的公开"):
        assert hidden not in html, hidden
    archive = client_for("anonymous").get(f"/publicity/c/{board.community_a.code}/archive/").content.decode()
    assert "去年第四季度经费公开" in archive and "有误的公开" in archive and "尚未审核的草稿" not in archive
    api = client_for("anonymous").get(f"/api/publicity/public/{board.community_a.code}/items").json()
    assert [row["title"] for row in api["items"]] == ["第一季度经费公开"]


def test_items_not_published_are_not_found_on_the_public_page(board, client_for):
    anonymous = client_for("anonymous")
    for item in (board.draft, board.pending, board.approved, board.scheduled):
        assert anonymous.get(f"/publicity/c/{board.community_a.code}/items/{item.pk}/").status_code == 404
    assert anonymous.get(f"/publicity/c/{board.community_a.code}/items/{board.foreign.pk}/").status_code == 404
    assert anonymous.get(f"/publicity/c/{board.community_x.code}/items/{board.foreign.pk}/").status_code == 200


def test_a_withdrawn_item_keeps_its_history_but_not_its_text(board, client_for):
    correction = services.prepare_correction(item=board.withdrawn, by=board.users["community_staff"])
    services.submit_item(item=correction, by=board.users["community_staff"])
    services.approve_item(item=correction, by=board.users["community_secretary"], publish_now=True)
    html = client_for("anonymous").get(
        f"/publicity/c/{board.community_a.code}/items/{board.withdrawn.pk}/").content.decode()
    assert 'id="withdrawn-notice"' in html and "金额有误" in html and "9999" not in html
    assert f"/items/{correction.pk}/" in html
    assert factories.form_post(client_for("anonymous"), f"/publicity/c/{board.community_a.code}/items/"
                               f"{board.withdrawn.pk}/ask/", {"text": "为什么撤回？"}).status_code == 404


def test_public_pages_carry_no_personal_data(board, client_for):
    """A resident's question names her and gives her phone; staff answer naming her. The public Q&A keeps
    neither; nor do the pages show who prepared or approved an item."""
    resident = board.resident_a
    question = services.ask_question(item=board.current, channel=Channel.QR, contact_phone="13912345678",
                                     text=f"我是{resident.name}，电话13912345678，慰问经费给了哪些人？")
    voice.reply(question.request, by=board.users["community_staff"],
                note=f"{resident.name}您好，慰问了辖区困难家庭，名单已在社区公示。")
    code = board.community_a.code
    anonymous = client_for("anonymous")
    pages = [f"/publicity/c/{code}/", f"/publicity/c/{code}/archive/", f"/publicity/c/{code}/items/{board.current.pk}/",
             f"/publicity/c/{code}/items/{board.withdrawn.pk}/"]
    html = "".join(anonymous.get(url).content.decode() for url in pages)
    assert "慰问了辖区困难家庭，名单已在社区公示" in html
    for secret in (resident.name, "13912345678", board.users["community_staff"].display_name,
                   board.users["community_secretary"].display_name):
        assert secret not in html, secret


def test_a_question_about_an_item_becomes_a_request_to_the_community(board, client_for):
    client = client_for("resident")
    response = factories.form_post(client, f"/publicity/c/{board.community_a.code}/items/{board.current.pk}/ask/",
                              {"text": "慰问经费的发放名单在哪里可以看到？"})
    assert response.status_code == 200
    req = Request.objects.get()
    assert req.community == board.community_a and req.handler == board.community_a
    assert req.category == Category.POLICY and req.resident == board.resident_a
    assert req.first_answer_due > timezone.now() and req.status == Status.RECEIVED
    assert "第一季度经费公开" in req.text and req.tracking_number in response.content.decode()
    assert ItemQuestion.objects.get().request == req
    staff_page = client_for("community_staff").get(f"/publicity/items/{board.current.pk}/").content.decode()
    assert req.tracking_number in staff_page


def test_a_flood_of_questions_from_one_client_is_refused(board, client_for):
    url = f"/publicity/c/{board.community_a.code}/items/{board.current.pk}/ask/"
    client = client_for("anonymous")
    codes = [factories.form_post(client, url, {"text": f"问题{n}：经费怎么用的？"}).status_code for n in range(7)]
    assert codes == [200] * 5 + [429, 429]
    assert Request.objects.count() == 5 == ItemQuestion.objects.count()


def test_bad_questions_are_clear_refusals(board, client_for):
    url = f"/publicity/c/{board.community_a.code}/items/{board.current.pk}/ask/"
    client = client_for("anonymous")
    assert factories.form_post(client, url, {"text": ""}).status_code == 400
    assert factories.form_post(client, url, {"text": "x" * 1001}).status_code == 400
    assert factories.form_post(client, url, {"text": "好", "contact_phone": "12345"}).status_code == 400
    assert not Request.objects.exists()


def test_the_public_page_shows_public_news_only(board, client_for):
    public = factories.post(board, title="公开的新闻")
    members_only = factories.post(board, title="只给党员的通知", kind=PostKind.NOTICE, to_public=False,
                                  to_residents=False)
    html = client_for("anonymous").get(f"/publicity/c/{board.community_a.code}/").content.decode()
    assert "公开的新闻" in html and "只给党员的通知" not in html
    anonymous = client_for("anonymous")
    assert anonymous.get(f"/publicity/c/{board.community_a.code}/news/{public.pk}/").status_code == 200
    assert anonymous.get(f"/publicity/c/{board.community_a.code}/news/{members_only.pk}/").status_code == 404


def test_the_public_page_links_the_complaint_form_of_the_supervision_committee(board, client_for):
    html = client_for("anonymous").get(f"/publicity/c/{board.community_a.code}/").content.decode()
    assert f"/supervision/c/{board.community_a.code}/complain/" in html


def test_an_unknown_or_inactive_community_has_no_public_page(board, client_for):
    anonymous = client_for("anonymous")
    assert anonymous.get("/publicity/c/NOPE/").status_code == 404
    assert anonymous.get(f"/publicity/c/{board.branch_a.code}/").status_code == 404
    board.community_a.is_active = False
    board.community_a.save()
    assert anonymous.get(f"/publicity/c/{board.community_a.code}/").status_code == 404
