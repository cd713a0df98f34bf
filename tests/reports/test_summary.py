"""The work summary: figures from the registry, frozen; narrative drafted; problems proposed; drafts kept; the
document read back; progress and failure of the task."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import translation
from docx import Document

from gongzhi.core.models import AuditEvent, JobStatus
from gongzhi.core.periods import Period
from gongzhi.core.registries import Figure
from gongzhi.reports import services
from gongzhi.reports.document import summary_docx
from gongzhi.reports.figures import number_text
from gongzhi.reports.models import ReportStatus, SummaryDraft
from tests.factories import MemberFactory

from .helpers import produce, register

YEAR = Period.year(2026)


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


@pytest.fixture
def registered(monkeypatch):
    return register(monkeypatch)


def _summary(world, django_capture_on_commit_callbacks, language="en", organization=None, period=YEAR):
    return produce(django_capture_on_commit_callbacks, organization=organization or world.community_a,
                   period=period, language=language, by=world.users["community_secretary"])


def _tables(content: bytes) -> dict[str, list[str]]:
    """Every table row of the document by its first cell."""
    rows = {}
    for table in Document(BytesIO(content)).tables:
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            rows.setdefault(cells[0].strip(), cells)
    return rows


def test_every_figure_in_the_document_equals_the_registrys(world, registered, django_capture_on_commit_callbacks):
    summary = _summary(world, django_capture_on_commit_callbacks)
    assert summary.status == ReportStatus.READY
    rows = _tables(summary_docx(summary))
    checked = 0
    with translation.override("en"):
        labels = {figure.key: str(figure.label) for figure in registered}
    for figure in registered:
        if figure.kinds and world.community_a.kind not in figure.kinds:
            continue
        now, before = figure.compute(world.community_a, YEAR), figure.compute(world.community_a, YEAR.previous())
        row = rows[labels[figure.key]]
        assert row[2] == (number_text(now) if now is not None else "—"), figure.key
        assert row[3] == (number_text(before) if before is not None else "—"), figure.key
        if now is not None and before is not None:
            assert Decimal(row[4] or 0) == Decimal(now) - Decimal(before)
        with translation.override("en"):
            breakdown = figure.breakdown(world.community_a, YEAR) if figure.breakdown else []
        for label, number in breakdown:
            assert rows[str(label)][2] == number_text(number)
        checked += 1
    assert checked == len(registered) and rows["Service hours"][2] == "45.5"


def test_the_narrative_is_drafted_from_known_figures(world, registered, django_capture_on_commit_callbacks):
    summary = _summary(world, django_capture_on_commit_callbacks)
    assert summary.narrative["service"].startswith(
        "During the period 12 volunteer service activities were held, with 30 participations of party members "
        "and 45.5 hours of service.")
    assert "40.0% of the members served at least once" in summary.narrative["service"]
    assert summary.narrative["basic"].startswith("At the end of the period there were 2 party members.")
    # A key no sentence names is stated plainly; a key the registry lacks is not written at all.
    assert "Board items published: 0." in summary.narrative["democracy"]
    assert "care" not in summary.narrative and "appraisal" not in summary.narrative.get("life", "")


def test_chinese_narrative_and_document(world, registered, django_capture_on_commit_callbacks):
    summary = _summary(world, django_capture_on_commit_callbacks, language="zh-hans")
    assert "12" in summary.narrative["service"] and "45.5" in summary.narrative["service"]
    assert "志愿服务" in summary.narrative["service"]
    text = "\n".join(p.text for p in Document(BytesIO(summary_docx(summary))).paragraphs)
    assert "一、基本情况" in text and "存在问题" in text and "下一步打算" in text and "工作总结" in text


def test_the_english_document_has_the_office_form(world, registered, django_capture_on_commit_callbacks):
    summary = _summary(world, django_capture_on_commit_callbacks)
    document = Document(BytesIO(summary_docx(summary)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "1. Basic situation" and headings[-1].endswith("Next steps") and \
        headings[-2].endswith("Existing problems")
    assert any(h.endswith("Service to residents") for h in headings)
    pictures = [s for s in document.inline_shapes]
    assert len(pictures) >= 2  # a chart for the areas with figures


def test_frozen_figures_do_not_change_when_the_data_changes(world, registered, django_capture_on_commit_callbacks):
    summary = _summary(world, django_capture_on_commit_callbacks)
    frozen_at = summary.computed_at
    before = _tables(summary_docx(summary))["Party members"][2]
    MemberFactory(home_org=world.branch_a, community=world.community_a)
    summary.refresh_from_db()
    assert _tables(summary_docx(summary))["Party members"][2] == before == "2"
    assert summary.computed_at == frozen_at
    fresh = _summary(world, django_capture_on_commit_callbacks)
    assert _tables(summary_docx(fresh))["Party members"][2] == "3"


def test_problems_are_proposed_from_the_data(world, registered, django_capture_on_commit_callbacks, monkeypatch):
    from tests.reports import helpers

    monkeypatch.setitem(helpers.FIXED, ("points.activation_rate", 2026), Decimal("40.0"))
    summary = _summary(world, django_capture_on_commit_callbacks)
    texts = [p["text"] for p in summary.problems]
    assert "Activation rate was only 40.0%." in texts
    # Per child: the branches of the community have the same (fixed) low activation.
    assert "Activation rate in 第一网格党支部 was only 40.0%." in texts
    assert all(p["kept"] for p in summary.problems)


def test_the_secretary_edits_keep_or_drop_problems_and_the_drafts_keep_history(
        world, registered, django_capture_on_commit_callbacks):
    summary = _summary(world, django_capture_on_commit_callbacks)
    secretary = world.users["community_secretary"]
    proposed = summary.problems
    first = services.save_draft(summary=summary, by=secretary,
                                narrative={**summary.narrative, "plans": "Open a party school class."},
                                problems=[{**proposed[0], "kept": False},
                                          {"key": "own", "text": "经费不足", "kept": True}])
    services.save_draft(summary=summary, by=secretary, narrative={**summary.narrative, "plans": "Second text."},
                        problems=summary.problems)
    assert [d.number for d in SummaryDraft.objects.filter(summary=summary)] == [2, 1]
    summary.refresh_from_db()
    assert summary.narrative["plans"] == "Second text."
    services.restore_draft(summary=summary, number=first.number, by=secretary)
    summary.refresh_from_db()
    assert summary.narrative["plans"] == "Open a party school class." and summary.drafts == 3
    text = "\n".join(p.text for p in Document(BytesIO(summary_docx(summary))).paragraphs)
    assert "1. 经费不足" in text and proposed[0]["text"] not in text and "Open a party school class." in text
    assert AuditEvent.objects.filter(action="reports.summary.edit", object_id=str(summary.pk)).count() == 3


def test_progress_is_reported_and_a_failure_is_shown(world, monkeypatch, django_capture_on_commit_callbacks,
                                                     client_for):
    def broken(organization, period):
        raise RuntimeError("the ledger is unreachable")

    register(monkeypatch, extra=[Figure(key="broken", label="Broken", unit="count", area="care", compute=broken)])
    summary = _summary(world, django_capture_on_commit_callbacks)
    assert summary.status == ReportStatus.FAILED
    assert summary.job.status == JobStatus.FAILED and "the ledger is unreachable" in summary.job.message
    assert summary.job.progress > 0  # the figures before the broken one were counted
    page = client_for("community_secretary").get(f"/reports/summaries/{summary.pk}/")
    assert "the ledger is unreachable" in page.content.decode()
    listing = client_for("community_secretary").get("/reports/")
    assert "the ledger is unreachable" in listing.content.decode()


def test_a_finished_job_counts_every_figure_and_section(world, registered, django_capture_on_commit_callbacks):
    from gongzhi.core.registries import report_sections

    summary = _summary(world, django_capture_on_commit_callbacks)
    assert summary.job.status == JobStatus.DONE
    assert summary.job.progress == summary.job.total == len(registered) + len(report_sections())


def test_a_street_summary_covers_its_communities(world, registered, django_capture_on_commit_callbacks):
    summary = produce(django_capture_on_commit_callbacks, organization=world.street_a, period=YEAR, language="en",
                      by=world.users["street_admin"])
    assert _tables(summary_docx(summary))["Party members"][2] == "3"  # branch A, branch B, and the unit's member


def test_the_download_is_logged_and_scoped(world, registered, django_capture_on_commit_callbacks, client_for):
    summary = _summary(world, django_capture_on_commit_callbacks)
    response = client_for("community_staff").get(f"/reports/summaries/{summary.pk}/download/")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="reports.summary.download", object_id=str(summary.pk),
                                     actor=world.users["community_staff"]).exists()
    for persona in ("branch_secretary_a", "member", "unit_admin", "supervisor"):
        assert client_for(persona).get(f"/reports/summaries/{summary.pk}/download/").status_code == 404


def test_the_page_saves_the_secretarys_text(world, registered, django_capture_on_commit_callbacks, client_for):
    summary = _summary(world, django_capture_on_commit_callbacks)
    client = client_for("community_secretary")
    page = client.get(f"/reports/summaries/{summary.pk}/")
    assert "During the period 12 volunteer service activities" in page.content.decode()
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "text-service": "我们全年开展服务。", "text-plans": "明年继续。",
            "problem-new": "活动经费不足\n党员老龄化"}
    data.update({f"problem-{i}-text": p["text"] for i, p in enumerate(summary.problems)})
    response = client.post(f"/reports/summaries/{summary.pk}/save/", data)
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.narrative["service"] == "我们全年开展服务。" and summary.narrative["plans"] == "明年继续。"
    kept = [p["text"] for p in summary.problems if p["kept"]]
    assert kept == ["活动经费不足", "党员老龄化"]  # the proposed ones were unticked


def test_the_page_polls_while_pending_and_reloads_when_ready(world, registered, client_for):
    summary = services.request_summary(organization=world.community_a, period=YEAR, language="en",
                                       by=world.users["community_secretary"])  # not produced: on_commit not run
    client = client_for("community_secretary")
    page = client.get(f"/reports/summaries/{summary.pk}/")
    assert 'hx-trigger="every 2s"' in page.content.decode() and "narrative-form" not in page.content.decode()
    listing = client.get("/reports/", headers={"HX-Request": "true"})
    assert 'id="my-reports"' in listing.content.decode() and "every 2s" in listing.content.decode()
    services.produce_summary(str(summary.pk))
    partial = client.get(f"/reports/summaries/{summary.pk}/", headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"


def test_the_document_language_follows_the_interface(world, client_for):
    client = client_for("community_secretary")
    client.cookies["django_language"] = "en"
    assert 'value="en" selected' in client.get("/reports/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert 'value="zh-hans" selected' in client.get("/reports/").content.decode()


def test_section_numbers_stay_chinese_past_ten():
    from gongzhi.reports.document import chinese_number

    assert [chinese_number(n) for n in (1, 9, 10, 11, 12, 19, 20, 21, 35)] == [
        "一", "九", "十", "十一", "十二", "十九", "二十", "二十一", "三十五"]


def _east_asian_fonts(content: bytes) -> tuple[dict, list, object]:
    """(East Asian font of each run's text, by heading or not; the theme attributes left anywhere; the document)."""
    from docx.oxml.ns import qn

    document = Document(BytesIO(content))
    fonts = {"heading": set(), "text": set()}
    paragraphs = list(document.paragraphs) + [p for t in document.tables for r in t.rows for c in r.cells
                                              for p in c.paragraphs]
    for paragraph in paragraphs:
        kind = "heading" if paragraph.style.name.startswith(("Heading", "Title")) else "text"
        for run in paragraph.runs:
            if run.text.strip():
                names = run._r.rPr.rFonts if run._r.rPr is not None else None
                fonts[kind].add(names.get(qn("w:eastAsia")) if names is not None else None)
    themed = [e for e in document.styles.element.iter(qn("w:rFonts")) if e.get(qn("w:eastAsiaTheme"))]
    return fonts, themed, document


@pytest.mark.parametrize("language, text, heading", [("zh-hans", "宋体", "黑体"), ("en", "SimSun", "SimHei")])
def test_every_run_names_its_east_asian_font_as_offices_expect(world, registered, django_capture_on_commit_callbacks,
                                                                language, text, heading):
    """A reader without CJK fonts gets Word's substitute for SimSun/SimHei, never a theme font: every run, the
    headings' too, names the East Asian font; no style keeps an East Asian theme font; the language is zh-CN."""
    from docx.oxml.ns import qn

    summary = _summary(world, django_capture_on_commit_callbacks, language=language)
    fonts, themed, document = _east_asian_fonts(summary_docx(summary))
    assert fonts == {"heading": {heading}, "text": {text}}
    assert themed == []
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == text
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_the_units_feedback_names_its_east_asian_font_too(world):
    from gongzhi.reports.feedback import feedback_docx
    from gongzhi.reports.models import UnitFeedback

    feedback = UnitFeedback.objects.create(community=world.community_a, unit=world.unit, period_kind="quarter",
                                           starts_on=YEAR.start, ends_on=YEAR.start.replace(month=3, day=31),
                                           rows=[{"name": "孙红", "activities": 2, "hours": "4.0", "points": "8.0",
                                                  "posts": ["楼栋长"], "evaluation_label": "优秀", "comment": ""}])
    with translation.override("zh-hans"):
        fonts, themed, _document = _east_asian_fonts(feedback_docx(feedback))
    assert fonts == {"heading": {"黑体"}, "text": {"宋体"}} and themed == []
