"""Rankings and activation of an organization's subtree, its titles and badges and who holds them,
and the nomination list for the outstanding party member selection (with its Excel export)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core import audit
from gongzhi.core.edge import add_to_form, require
from gongzhi.core.periods import parse_day, parse_year
from gongzhi.core.rows import RowMarkup
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import Organization
from gongzhi.points import selectors as points_selectors
from gongzhi.points import services as points_services
from gongzhi.points.models import OrgPointsSettings
from gongzhi.points.permissions import can_edit_rules, can_read_rules

from . import badges as badge_service
from . import selectors
from .forms import BadgeForm
from .models import Badge


def _period(request):
    kind = request.GET.get("period") if request.GET.get("period") in points_selectors.PERIODS else "year"
    on = parse_day(request.GET.get("on"), timezone.localdate())
    start, end = points_selectors.period_bounds(kind, on)
    return kind, on, start, end


def rankings(request, pk):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_read_rules(request.user, org))
    kind, on, start, end = _period(request)
    members = list(points_selectors.member_totals(org, start, end)[:100])
    settings_row = OrgPointsSettings.objects.filter(organization=org).first()
    tables = {"members": members, "branches": list(points_selectors.branch_totals(org, start, end)),
              "groups": list(points_selectors.group_totals(org, start, end)[:100]),
              "units": list(points_selectors.unit_totals(org, start, end)[:100]),
              "inactive": selectors.not_activated(org, start, end, limit=200)}
    return render(request, "recognition/rankings.html", {
        "org": org, "period": kind, "on": on, "start": start, "end": end, "periods": points_selectors.PERIODS,
        **tables, "rows": _ranking_rows(**tables), "activation": selectors.activation(org, start, end),
        "visible_to_members": bool(settings_row and settings_row.rankings_visible_to_members),
        "can_edit": can_edit_rules(request.user, org),
    })


_MEMBER_ROW = RowMarkup('<tr><td>{n}</td><td>{name}</td><td>{branch}</td><td class="text-end">{total}</td></tr>')
_BRANCH_ROW = RowMarkup('<tr><td>{name}</td><td class="text-end">{members}</td>'
                        '<td class="text-end">{total}</td></tr>\n  ')
_GROUP_ROW = RowMarkup('<tr data-group="{pk}"><td>{name}</td><td class="text-end">{members}</td>'
                       '<td class="text-end">{total}</td></tr>\n  ')
_UNIT_ROW = RowMarkup('<tr data-unit="{pk}"><td>{name}</td><td class="text-end">{members}</td>'
                      '<td class="text-end">{total}</td></tr>\n  ')
_INACTIVE_ROW = RowMarkup("<li>{name} · {branch}</li>")


def _ranking_rows(*, members, branches, groups, units, inactive) -> dict[str, str]:
    """The rankings' tables and the not yet activated, each row written from one markup string (core.rows) as
    the template wrote it; points through the template's own ``floatformat:1``, once per distinct total."""
    shown: dict = {}

    def points(total) -> str:
        if total not in shown:
            shown[total] = floatformat(total, "1")
        return shown[total]

    return {
        "members": _MEMBER_ROW.join({"n": str(n), "name": m["name"], "branch": m["home_org__name"] or "",
                                     "total": points(m["total"])} for n, m in enumerate(members, 1)),
        "branches": _BRANCH_ROW.join({"name": b["member__home_org__name"], "members": str(b["members"]),
                                      "total": points(b["total"])} for b in branches),
        "groups": _GROUP_ROW.join({"pk": str(g["member__building__group_id"]),
                                   "name": g["member__building__group__name"], "members": str(g["members"]),
                                   "total": points(g["total"])} for g in groups),
        "units": _UNIT_ROW.join({"pk": str(u["pk"]), "name": u["name"], "members": str(u["members"]),
                                 "total": points(u["total"])} for u in units),
        "inactive": _INACTIVE_ROW.join({"name": m.name, "branch": (m.home_org.name if m.home_org_id else "")
                                        or m.home_org_name} for m in inactive),
    }


@require_POST
def ranking_settings(request, pk):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_edit_rules(request.user, org))
    visible = request.POST.get("rankings_visible_to_members") == "on"
    points_services.set_rankings_visible(organization=org, visible=visible, by=request.user, request=request)
    messages.success(request, _("Settings saved."))
    return redirect("recognition:rankings", pk=org.pk)


def _year(request) -> int:
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    return year if year <= today.year + 1 else today.year


def titles(request, pk):
    """Titles and badges in force at an organization and who holds them in a year; staff of the
    organization add one or stop awarding one."""
    org = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_read_rules(request.user, org))
    editable = can_edit_rules(request.user, org)
    form = BadgeForm(request.POST or None) if editable else None
    status = 200
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            badge = form.save(commit=False)
            badge.organization = org
            try:
                badge_service.add_badge(badge, by=request.user, request=request)
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Title added."))
                return redirect("recognition:titles", pk=org.pk)
        status = 400
    year = _year(request)
    return render(request, "recognition/titles.html", {
        "org": org, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "awarded": badge_service.holders(org, year), "form": form, "can_edit": editable,
        "stopped": Badge.objects.filter(organization=org, is_active=False) if editable else [],
    }, status=status)


@require_POST
def badge_toggle(request, pk):
    badge = get_visible_or_404(Badge.objects.select_related("organization"), request.user, pk=pk)
    require(can_edit_rules(request.user, badge.organization))
    active = request.POST.get("active") == "on"
    badge_service.set_badge_active(badge, active, by=request.user, request=request)
    messages.success(request, _("Title awarded again.") if active else _("Title no longer awarded."))
    return redirect("recognition:titles", pk=badge.organization_id)


def _nominations(request, pk):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_read_rules(request.user, org))
    year = _year(request)
    try:
        limit = min(max(int(request.GET.get("limit", 50)), 1), 500)
    except ValueError:
        limit = 50
    options = {"full_members_only": request.GET.get("probationary") != "on",
               "exclude_low_grades": request.GET.get("all_grades") != "on"}
    return org, year, limit, options, badge_service.nominations(org, year, limit=limit, **options)


def nominations(request, pk):
    """The nomination list for the outstanding party member selection, from the year's points."""
    org, year, limit, options, nominees = _nominations(request, pk)
    return render(request, "recognition/nominations.html", {
        "org": org, "year": year, "limit": limit, "nominees": nominees,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "probationary": not options["full_members_only"], "all_grades": not options["exclude_low_grades"],
        "query": request.GET.urlencode(),
    })


def nominations_export(request, pk):
    org, year, limit, options, nominees = _nominations(request, pk)
    with transaction.atomic():
        content = badge_service.nominations_workbook(org, year, nominees)
        audit.record(actor=request.user, action="recognition.nominations.export", obj=org, organization=org,
                     request=request, detail={"year": year, "rows": len(nominees), "masked": True, **options})
    response = HttpResponse(content,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nominations-{org.pk}-{year}.xlsx"'
    return response
