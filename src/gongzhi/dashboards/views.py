"""Dashboards of a street, a community or village and a branch; the big screen (党建驾驶舱) and its kiosk
links; thin views over ``selectors`` (reads) and ``services`` (kiosk links, snapshots).

A dashboard and its big screen show the organization's snapshot (``DashboardSnapshot``): its figures as
computed from the records by a background task, with the time they were computed. The first visit for a period
shows the computation's progress (refreshed by htmx every two seconds) until they are ready; a snapshot older
than ``services.STALE_SECONDS`` is shown while its refresh runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core import ratelimit
from gongzhi.core.capabilities import can
from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.periods import parse_period
from gongzhi.core.rows import RowUrl
from gongzhi.core.scoping import (
    VIEWER_OPTIONAL,
    ancestor_paths,
    get_visible_by_statement_or_404,
    get_visible_or_404,
    stand_in_viewer,
)
from gongzhi.core.statements import Statement
from gongzhi.orgs.models import STEP, Organization

from . import selectors, services
from .forms import KioskTokenForm
from .models import KioskToken, SnapshotStatus
from .permissions import MANAGE_KIOSK, SCREEN_KINDS, VIEW_DASHBOARD

SCREEN_REFRESH = 300  # seconds between two refreshes of the big screen
SCREEN_WAIT = 10  # … while its first figures are being computed


def _period(request):
    return parse_period(request.GET, timezone.localdate(), default_kind="year")


def _visible_organization(pk, **viewer):
    return Organization.objects.select_related("parent").visible_to(stand_in_viewer(**viewer)).filter(pk=pk)[:2]


#: A dashboard's organization and its ancestors, compiled once (core.statements).
_ORGANIZATION = Statement(_visible_organization, optional=VIEWER_OPTIONAL)
_AT_PATHS = Statement(lambda paths: Organization.objects.at_paths(paths))


def _organization(request, pk: int, capability=VIEW_DASHBOARD) -> Organization:
    organization = get_visible_by_statement_or_404(_ORGANIZATION, request.user, pk=pk)
    require(can(request.user, capability, organization))
    return organization


def index(request):
    """The dashboard of the user's top organization; where he or she covers several, their list."""
    organizations = list(Organization.objects.where_user_can(request.user, VIEW_DASHBOARD)
                         .filter(is_active=True).order_by("depth", "path")[:50])
    require(bool(organizations))
    roots = [o for o in organizations if not any(o.path.startswith(p.path) and o != p for p in organizations)]
    if len(roots) == 1:
        return organization(request, roots[0].pk)
    return render(request, "dashboards/index.html", {"organizations": roots})


def _number(period) -> int | None:
    return {"half": (period.start.month - 1) // 6 + 1, "quarter": (period.start.month - 1) // 3 + 1,
            "month": period.start.month}.get(period.kind)


def _query(period) -> str:
    number = _number(period)
    return f"?period={period.kind}&year={period.start.year}" + (f"&number={number}" if number else "")


def organization(request, pk: int):
    org = _organization(request, pk)
    period = _period(request)
    query = _query(period)
    snapshot = services.snapshot_for(org, period)
    ready = snapshot.status == SnapshotStatus.READY
    context = {"org": org, "period": period, "previous": period.previous(), "query": query, "snapshot": snapshot,
               "job": snapshot.job, "ready": ready}
    if request.htmx:  # the progress block polls; once the figures are there, the page reloads to show them
        response = render(request, "dashboards/organization.html#progress", context)
        if ready and not snapshot.refreshing:
            response["HX-Refresh"] = "true"
        return response
    if ready:
        dashboard = RowUrl("dashboards:organization")  # reversed once for the bars' links
        context.update(selectors.page(org, snapshot.data, request.user, link=lambda child: dashboard(child.pk) + query))
    context.update({
        "ancestors": [a for a in _AT_PATHS.instances(paths=ancestor_paths(org.path, STEP)[:-1])
                      if can(request.user, VIEW_DASHBOARD, a)],
        "may_screen": org.kind in SCREEN_KINDS, "may_kiosk": can(request.user, MANAGE_KIOSK, org),
        "number": _number(period),
    })
    return render(request, "dashboards/organization.html", context)


def _screen_context(org, period) -> dict:
    snapshot = services.snapshot_for(org, period)
    ready = snapshot.status == SnapshotStatus.READY
    context = {"org": org, "period": period, "now": timezone.localtime(), "snapshot": snapshot, "ready": ready,
               "refresh": SCREEN_REFRESH if ready else SCREEN_WAIT}
    if ready:
        context.update(selectors.present(org, snapshot.data, screen=True))
    return context


def screen(request, pk: int):
    org = _organization(request, pk)
    require(org.kind in SCREEN_KINDS)
    return render(request, "dashboards/screen.html", {**_screen_context(org, _period(request)), "kiosk": False})


@login_not_required
def kiosk(request, token: str):
    """The big screen by a kiosk link, without a login: aggregate figures only, this year."""
    org = selectors.organization_of_token(token)
    if org is None:
        if not ratelimit.allow(request, "public_lookup"):
            return ratelimit.too_many(request, 600)
        raise Http404
    period = parse_period({}, timezone.localdate(), default_kind="year")
    response = render(request, "dashboards/screen.html", {**_screen_context(org, period), "kiosk": True})
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


def kiosk_links(request, pk: int):
    org = _organization(request, pk, MANAGE_KIOSK)
    require(org.kind in SCREEN_KINDS)
    form = KioskTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _kiosk, token = services.create_kiosk_token(organization=org, label=form.cleaned_data["label"],
                                                        by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            created = request.build_absolute_uri(reverse("dashboards:kiosk", args=[token]))
            form = KioskTokenForm()
    links = KioskToken.objects.filter(organization=org).select_related("created_by", "revoked_by")[:50]
    return render(request, "dashboards/kiosk_links.html", {"org": org, "form": form, "links": links,
                                                           "created": created},
                  status=400 if request.method == "POST" and form.errors else 200)


@require_POST
def kiosk_revoke(request, pk: int):
    kiosk_token = get_visible_or_404(KioskToken.objects.select_related("organization"), request.user, pk=pk)
    require(can(request.user, MANAGE_KIOSK, kiosk_token.organization))
    try:
        services.revoke_kiosk_token(kiosk=kiosk_token, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("The link no longer opens the screen."))
    return redirect("dashboards:kiosk_links", kiosk_token.organization_id)
