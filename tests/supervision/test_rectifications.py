"""Checks and rectifications: the committee records what it checked and orders a rectification with an owner
and a deadline; the organization reports with evidence; the committee closes it or sends it back. Deadlines,
lateness, the figures, the to-dos and the yearly summary, with known answers."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.core.registries import figure, report_sections, todo_sources
from gongzhi.supervision import selectors, services, stats
from gongzhi.supervision.models import Evidence, Rectification, RectificationStatus, SupervisionItem
from tests.publicity.factories import api_post, form_post, png

from . import factories


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def test_the_committee_records_a_check_and_orders_a_rectification(world, client_for,
                                                                  django_capture_on_commit_callbacks):
    supervisor = client_for("supervisor")
    response = form_post(supervisor, "/supervision/items/new/", {
        "organization": world.community_a.pk, "area": "finance", "title": "检查第三季度经费",
        "finding": "一笔支出缺少发票", "conclusion": "issues", "checked_on": timezone.localdate().isoformat()})
    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and item.recorded_by == world.users["supervisor"]
    deadline = timezone.localdate() + timedelta(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        form_post(supervisor, f"/supervision/items/{item.pk}/rectify/", {
            "owner": world.users["community_staff"].pk, "requirement": "补齐发票", "deadline": deadline.isoformat()})
    rectification = Rectification.objects.get()
    assert rectification.owner == world.users["community_staff"] and rectification.deadline == deadline
    assert world.users["community_staff"].notifications.get().url == f"/supervision/rectifications/{rectification.pk}/"


def test_bad_rectifications_are_clear_refusals(world):
    item = factories.check(world)
    committee = world.users["supervisor"]
    today = timezone.localdate()
    for kwargs in ({"deadline": today - timedelta(days=1), "owner": world.users["community_staff"]},
                   {"deadline": today + timedelta(days=5), "owner": world.users["resident"]},
                   {"deadline": today + timedelta(days=5), "owner": world.users["foreign_secretary"]},
                   {"deadline": today + timedelta(days=5), "owner": world.users["community_staff"],
                    "requirement": "  "}):
        with pytest.raises(ValidationError):
            services.order_rectification(item=item, requirement=kwargs.pop("requirement", "补齐发票"), by=committee,
                                         **kwargs)
    with pytest.raises(ValidationError):
        services.order_rectification(item=item, owner=world.users["community_staff"], requirement="x",
                                     deadline=today + timedelta(days=5), organization=world.community_x,
                                     by=committee)
    with pytest.raises(ValidationError):
        services.record_item(organization=world.community_a, area="finance", title="x", finding="x",
                             conclusion="issues", checked_on=today + timedelta(days=1), by=committee)
    assert not Rectification.objects.exists()


def test_a_rectification_is_followed_to_closure_with_evidence(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rectification = factories.rectification(world)
    owner = client_for("community_staff")
    url = f"/supervision/rectifications/{rectification.pk}/"
    # Evidence is checked by its content: a fake photo is refused and nothing is written.
    fake = SimpleUploadedFile("发票.jpg", b"not a photo", "image/jpeg")
    form_post(owner, url + "report/", {"note": "已补开发票", "files": [fake], "done": "on"})
    assert not Evidence.objects.exists() and not any(tmp_path.rglob("*"))
    assert Rectification.objects.get().status == RectificationStatus.OPEN
    form_post(owner, url + "report/", {"note": "已补开发票并入账", "files": [png("发票.png")], "done": "on"})
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REPORTED and Evidence.objects.get().name == "发票.png"
    # The committee sends it back once, then closes it.
    committee = client_for("supervisor")
    form_post(committee, url + "verify/", {"decision": "return"})
    assert Rectification.objects.get().status == RectificationStatus.REPORTED  # a return needs the reason
    form_post(committee, url + "verify/", {"decision": "return", "note": "还缺登记制度"})
    assert Rectification.objects.get().status == RectificationStatus.OPEN
    form_post(owner, url + "report/", {"note": "登记制度已建立", "done": "on"})
    form_post(committee, url + "verify/", {"decision": "close", "note": "整改到位"})
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED and rectification.closed_on_time
    assert list(rectification.events.values_list("kind", flat=True)) == [
        "opened", "reported", "returned", "reported", "closed"]
    html = owner.get(url).content.decode()
    assert "发票.png" in html and f"/files/{Evidence.objects.get().pk}/" in html


def test_the_committee_verifies_but_never_reports_for_the_organization(world, client_for):
    rectification = factories.rectification(world)
    supervisor = client_for("supervisor")
    assert form_post(supervisor, f"/supervision/rectifications/{rectification.pk}/report/",
                     {"note": "替他们填了", "done": "on"}).status_code == 404
    assert api_post(supervisor, f"/api/supervision/rectifications/{rectification.pk}/progress",
                    {"note": "x", "done": True}).status_code == 404
    assert form_post(client_for("community_staff"), f"/supervision/rectifications/{rectification.pk}/verify/",
                     {"decision": "close"}).status_code == 404
    with pytest.raises(ValidationError):
        services.verify(rectification=rectification, accept=True, by=world.users["supervisor"])
    assert Rectification.objects.get().status == RectificationStatus.OPEN


def test_deadlines_make_rectifications_overdue_and_lateness_is_kept(world):
    with time_machine.travel(_at(date(2026, 3, 1)), tick=False):
        on_time = factories.rectification(world, days=10)  # due 2026-03-11
        late = factories.rectification(world, days=10)
        never = factories.rectification(world, days=20)  # due 2026-03-21
    for rect, day in ((on_time, date(2026, 3, 10)), (late, date(2026, 3, 15))):
        with time_machine.travel(_at(day), tick=False):
            services.report_progress(rectification=rect, note="已整改", done=True, by=rect.owner)
            services.verify(rectification=rect, accept=True, by=world.users["supervisor"])
    today = date(2026, 3, 25)
    assert list(Rectification.objects.overdue(today)) == [never]
    assert [Rectification.objects.get(pk=r.pk).closed_on_time for r in (on_time, late)] == [True, False]
    with time_machine.travel(_at(today), tick=False):
        source = next(s for s in todo_sources() if s.key == "supervision.rectifications_due")
        staff = world.users["community_staff"]
        assert source.applies(staff) and source.count(staff) == 1
        assert [(i.due, i.overdue) for i in source.items(staff, 5)] == [(date(2026, 3, 21), True)]
        assert not source.applies(world.users["supervisor"])
    march = Period.month(2026, 3)
    assert stats.rectified_on_time(world.street_a, march) == Decimal("33.3")
    assert figure("supervision.rectified_on_time").compute(world.community_a, march) == Decimal("33.3")
    assert stats.rectified_on_time(world.community_x, march) is None


def test_complaint_figures_and_to_dos_have_known_answers(world):
    with time_machine.travel(_at(date(2026, 4, 1)), tick=False):  # answers due 15 working days later
        answered = factories.complaint(world, subject="community_secretary")
        factories.complaint(world, organization=world.branch_a)
        services.conclude(complaint=answered, conclusion="已核实处理", by=world.users["supervisor"])
    april = Period.month(2026, 4)
    assert stats.complaints_received(world.street_a, april) == 2
    assert stats.complaints_handled(world.street_a, april) == 1
    assert stats.complaints_handled_on_time(world.street_a, april) == Decimal("50.0")
    source = next(s for s in todo_sources() if s.key == "supervision.complaints")
    assert source.count(world.users["supervisor"]) == 1
    assert source.count(world.users["community_secretary"]) == 1  # the branch complaint: the level above
    assert not source.applies(world.users["community_staff"])


def test_the_yearly_summary_counts_the_committees_work(world, client_for):
    with time_machine.travel(_at(date(2026, 2, 1)), tick=False):
        rect = factories.rectification(world, days=10)
        factories.check(world, title="检查公开栏", conclusion="in_order", days_ago=1)
        services.report_progress(rectification=rect, note="已整改", done=True, by=rect.owner)
        services.verify(rectification=rect, accept=True, by=world.users["supervisor"])
        factories.complaint(world, subject="community_secretary")
    summary = selectors.yearly_summary(world.community_a, 2026)
    assert summary["checks"] == 2
    assert summary["rectifications"] == {"ordered": 1, "closed": 1, "on_time": 1, "still_open": 0}
    assert summary["complaints"]["received"] == 1 and summary["complaints"]["anonymous"] == 1
    section = next(s for s in report_sections() if s.key == "supervision.year")
    built = section.build(world.community_a, Period.year(2026))
    assert len(built["paragraphs"]) >= 3 and "采购" not in " ".join(built["paragraphs"])
    page = client_for("supervisor").get("/supervision/summary/", {"org": world.community_a.pk, "year": 2026})
    assert page.status_code == 200 and 'id="fig-checks">2<' in page.content.decode()
    api = client_for("street_admin").get("/api/supervision/summary",
                                         {"organization_id": world.community_a.pk, "year": 2026}).json()
    assert api["rectifications_closed_on_time"] == 1 and api["complaints_received"] == 1
    assert client_for("supervisor").get("/supervision/summary/", {"org": world.community_x.pk}).status_code == 404
    assert client_for("supervisor").get("/supervision/summary/").context["organization"] == world.community_a


def test_the_audit_log_shows_the_scope_only(world, client_for):
    factories.check(world)
    factories.check(world, organization=world.community_x)
    rows = client_for("supervisor").get("/supervision/audit/").context["page"]
    # The committee's own checks are not in its own view: nobody audits his or her own actions alone.
    assert {row.organization for row in rows} <= {world.community_a}
    assert all(row.actor_id != world.users["supervisor"].pk for row in rows)
    auditor_rows = client_for("auditor").get("/supervision/audit/").context["page"]
    assert {row.organization for row in auditor_rows} == {world.community_a}
    assert client_for("supervisor").get("/supervision/audit/", {"org": world.community_x.pk}).status_code == 404
    assert client_for("supervisor").get("/supervision/audit/", {"start": "1899-01-01"}).status_code == 200
    assert client_for("supervisor").get("/api/supervision/audit", {"start": "nonsense"}).status_code == 422
