"""The upcoming activities' page writes in Python what its template wrote (docs/scaling.md, run N): the cards —
each text escaped once, not each field through the generic escape —, the filter's kind select and the keyset
pagination; and it renders no template per option or for its pagination, nor a form when nothing is filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels, escaped
from gongzhi.service import views
from gongzhi.service.forms import UpcomingFilterForm
from gongzhi.service.models import Activity, ActivityKind, OpenTo, SignUp, SignUpStatus

from .factories import activity, series, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_copy):
    return world_copy


def _cards_as_the_generic_join_wrote_them(activities, mine) -> str:
    """The cards as written before: every field through ``escaped``, clocks by ``strftime``."""
    zone = timezone.get_current_timezone()
    detail_url, kinds = RowUrl("service:detail"), choice_labels(Activity, "kind")
    cancelled = format_html(' <span class="badge text-bg-secondary">{}</span>', _("Cancelled"))
    recurring = format_html(' <i class="bi bi-arrow-repeat" aria-label="{}" role="img"></i>', _("recurring"))
    team_only = format_html(" · {}", _("team members only"))
    of_capacity, signed_up = _("%(taken)s of %(capacity)s places taken"), _("%(taken)s signed up")
    statuses = {SignUpStatus.SIGNED_UP: format_html(' · <span class="text-success">{}</span>', _("You are signed up.")),
                SignUpStatus.WAITING: format_html(" · {}", _("You are on the waiting list."))}
    markup = RowMarkup(views._UPCOMING_CARD.markup)
    return "".join(markup.markup.format(**{name: escaped(value) for name, value in row.items()}) for row in [{
        "url": detail_url(a.id), "title": a.title, "cancelled": cancelled if a.cancelled_at else "",
        "recurring": recurring if a.series_id else "", "kind": kinds.get(a.kind, a.kind),
        "organization": a.organization_name,
        "team": SafeString(f" · {escaped(a.team_name)}") if a.team_name is not None else "",
        "team_only": team_only if a.open_to == OpenTo.TEAM else "",
        "starts": a.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "ends": a.ends_at.astimezone(zone).strftime("%H:%M"), "place": a.place,
        "places": (of_capacity % {"taken": a.taken, "capacity": a.capacity} if a.capacity
                   else signed_up % {"taken": a.taken}),
        "mine": statuses.get(mine.get(a.id, ""), ""),
    } for a in activities])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cards_are_what_the_generic_join_wrote(world, language):
    world.community_a.name = '幸福 & "和平" <社区>'
    world.community_a.save()
    crew = team(world.branch_a, name="先锋 & <队>", members=[world.member_a])
    tricky = activity(world.community_a, title='<script>alert("&")</script>', place="1号楼 'A' & B", capacity=3)
    activity(world.branch_a, title="队伍 & 伙伴", team=crew, open_to=OpenTo.TEAM, kind=ActivityKind.CULTURE)
    waiting = activity(world.branch_a, title="满员", capacity=1)
    cancelled = activity(world.street_a, title="取消了", cancelled_at=timezone.now(), starts_in=timedelta(hours=30))
    series(world.community_a)
    SignUp.objects.create(activity=tricky, member=world.member_a)
    SignUp.objects.create(activity=waiting, member=world.member_a, status=SignUpStatus.WAITING)
    rows = [views.UpcomingRow._make(row) for row in views.selectors.upcoming_activities(world.users["member"])
            .order_by("starts_at", "id").values_list(*views.UPCOMING_FIELDS)]
    assert {tricky.pk, waiting.pk, cancelled.pk} <= {r.id for r in rows} and len(rows) > 8
    mine = {tricky.pk: SignUpStatus.SIGNED_UP, waiting.pk: SignUpStatus.WAITING}
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert views._upcoming_cards(rows, mine) == _cards_as_the_generic_join_wrote_them(rows, mine)


OLD_KIND_FIELD = engines["django"].from_string(
    """<div><label class="form-label small mb-0" for="{{ form.kind.id_for_label }}">{{ form.kind.label }}</label>
    <select class="form-select form-select-sm" name="kind" id="{{ form.kind.id_for_label }}">{% for value, label in form.kind.field.choices %}<option value="{{ value }}"{% if value == form.kind.value %} selected{% endif %}>{{ label }}</option>{% endfor %}</select></div>""")  # noqa: E501 (the template's line)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", [{}, {"kind": ""}, {"kind": "bogus"}, {"team": "3"}, {"after": "x"},
                                   {"kind": ["culture", "patrol"]}, *({"kind": k} for k in ActivityKind.values)])
def test_the_kind_select_is_what_the_form_showed(language, query):
    request = RequestFactory().get("/service/", query)
    with translation.override(language):
        form = UpcomingFilterForm(request.GET or None)
        assert views._kind_filter(request.GET.get("kind")) == OLD_KIND_FIELD.render({"form": form})


def test_the_page_renders_no_include_per_option_or_for_its_pagination(world, client_for):
    for n in range(55):
        activity(world.community_a, title=f"活动{n}", starts_in=timedelta(days=1, minutes=n))
    client = client_for("community_staff")
    response = client.get(reverse("service:upcoming"))
    names = [t.name for t in response.templates]
    assert "service/upcoming.html" in names and "includes/keyset_pagination.html" not in names
    assert "django/forms/widgets/select.html" not in names and "form" not in response.context
    body = response.content.decode()
    assert 'rel="next"' in body and body.count('class="card mb-2"') == 50
    following = client.get(reverse("service:upcoming"), {"after": response.context["page"].next_cursor})
    assert following.content.decode().count('class="card mb-2"') == 5
    assert 'rel="prev"' in following.content.decode()
