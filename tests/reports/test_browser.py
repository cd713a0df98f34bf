"""A community secretary asks on her phone for the year's work summary, edits its narrative, keeps some of
the proposed problems, saves the draft and downloads the Word document with her text and the figures."""

import os
from io import BytesIO

import pytest
from docx import Document

from gongzhi.reports.models import SummaryDraft, WorkSummary
from tests.conftest import build_world
from tests.factories.core import PASSWORD

from .helpers import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_secretary_generates_edits_and_downloads_the_years_summary(live_server, monkeypatch, tmp_path):
    from tests.browser import assert_accessible, log_in, open_page

    register(monkeypatch)
    world = build_world()
    with open_page() as page:
        log_in(page, live_server.url, "community_secretary", PASSWORD)
        page.goto(f"{live_server.url}/reports/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
        page.select_option("#summary-form select[name=organization]", str(world.community_a.pk))
        page.fill("#summary-form input[name=year]", "2026")
        with page.expect_navigation():
            page.locator("#summary-form button[type=submit]").click()
        # The background task ran on commit (the immediate backend in tests): the editor is there.
        page.locator("#narrative-form").wait_for()
        assert "本期共开展志愿服务活动12次" in page.locator("#text-service").input_value()
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
        page.fill("#text-service", "全年开展志愿服务活动12次，服务时长45.5小时，群众普遍认可。")
        page.fill("#text-plans", "明年重点推进在职党员双报到。")
        page.locator("#problem-0-kept").uncheck()
        page.fill("#problem-new", "活动经费不足")
        with page.expect_navigation():
            page.locator("#save-draft").click()
        assert "第1稿已保存" in page.content()
        with page.expect_download() as download:
            page.locator("#download-summary").click()
        path = tmp_path / "summary.docx"
        download.value.save_as(path)
    summary = WorkSummary.objects.get(organization=world.community_a)
    assert SummaryDraft.objects.filter(summary=summary).count() == 1
    document = Document(BytesIO(path.read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert "全年开展志愿服务活动12次，服务时长45.5小时，群众普遍认可。" in paragraphs
    assert "明年重点推进在职党员双报到。" in paragraphs
    kept = [p.split(". ", 1)[1] for p in paragraphs if p[:1].isdigit() and ". " in p]
    assert kept[-1] == "活动经费不足" and summary.problems[0]["text"] not in kept
    cells = {row.cells[0].text: row.cells[2].text for table in document.tables for row in table.rows}
    assert cells["Service hours"] == "45.5"
