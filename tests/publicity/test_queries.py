"""The board's pages cost the same number of queries with ten times the data."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongzhi.orgs.models import OrgKind
from gongzhi.publicity import services
from gongzhi.publicity.models import Board, ItemStatus, PostKind
from tests.factories import OrganizationFactory

from . import factories

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _fill(world, n: int) -> None:
    """n more communities under street A with overdue publications, and n items and posts on board A."""
    for i in range(n):
        OrganizationFactory(kind=OrgKind.COMMUNITY, parent=world.street_a, name=f"新社区{i}")
    for i in range(n):
        factories.item(world, title=f"公开事项{i}", status=ItemStatus.PUBLISHED if i % 2 else ItemStatus.PENDING)
        services.add_attachment(item=factories.item(world, title=f"带附件{i}", status=ItemStatus.DRAFT),
                                upload=factories.pdf(), by=world.users["community_staff"])
        factories.post(world, title=f"新闻{i}", kind=PostKind.NOTICE if i % 2 else PostKind.NEWS, needs_ack=bool(i % 2))


PAGES = [
    ("anonymous", lambda w: f"/publicity/c/{w.community_a.code}/"),
    ("anonymous", lambda w: f"/publicity/c/{w.community_a.code}/archive/"),
    ("community_staff", lambda w: f"/publicity/boards/{w.community_a.pk}/"),
    ("street_admin", lambda w: "/publicity/"),
    ("street_admin", lambda w: "/publicity/overdue/"),
    ("street_admin", lambda w: "/publicity/approvals/"),
    ("resident", lambda w: "/publicity/news/"),
    ("community_staff", lambda w: "/publicity/news/manage/"),
    ("street_admin", lambda w: f"/publicity/catalogue/{w.street_a.pk}/"),
]


def test_every_page_costs_the_same_with_ten_times_the_data(world, client_for):
    """All the pages measured on the same data, filled once more between the two measurements (the
    fill is most of the cost; each page has its own persona's client)."""
    Board.objects.create(organization=world.community_a, opened_on=date(timezone.localdate().year - 1, 1, 1))
    _fill(world, 2)
    clients = [client_for(persona) for persona, _url in PAGES]
    before = []
    for client, (_persona, url) in zip(clients, PAGES, strict=True):
        client.get(url(world))  # warm the session and the roles
        before.append(_queries(client, url(world)))
    _fill(world, 20)
    after = [_queries(client, url(world)) for client, (_persona, url) in zip(clients, PAGES, strict=True)]
    grown = [(persona, url(world), b, a) for (persona, url), b, a in zip(PAGES, before, after, strict=True) if a > b]
    assert grown == [], grown


def test_a_public_item_with_questions_and_files_is_bounded(world, client_for, django_assert_max_num_queries):
    from gongzhi.voice import services as voice
    from gongzhi.voice.models import Channel

    item = factories.item(world, status=ItemStatus.DRAFT)
    for _n in range(3):
        services.add_attachment(item=item, upload=factories.pdf(), by=world.users["community_staff"])
    services.submit_item(item=item, by=world.users["community_staff"])
    item = services.approve_item(item=item, by=world.users["community_secretary"], publish_now=True)
    for n in range(6):
        question = services.ask_question(item=item, text=f"问题{n}", channel=Channel.QR,
                                         contact_phone=f"1390000{n:04d}")
        voice.reply(question.request, by=world.users["community_staff"], note=f"答复{n}")
    with django_assert_max_num_queries(12):
        html = client_for("anonymous").get(f"/publicity/c/{world.community_a.code}/items/{item.pk}/").content.decode()
    assert all(f"答复{n}" in html for n in range(6)) and html.count("/files/") == 3
