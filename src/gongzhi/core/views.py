"""Shared pages: error pages, the notification list, the health check, and the table of public holidays
and make-up working days."""

import secrets
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .edge import require
from .models import Notification


def _api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _api(request):  # a path no API operation has: the API's own JSON answer
        return JsonResponse({"detail": "Not found"}, status=404)
    return HttpResponse(_not_found_page(request), status=404)


#: Stand-ins for the per-request parts of the 404 page, replaced in the rendered page (random: no page text
#: can contain them by chance; letters and digits only: escaping leaves them as they are).
_TOKEN_MARK, _PATH_MARK = f"csrf{secrets.token_hex(16)}", f"path{secrets.token_hex(16)}"
_NOT_FOUND_PAGES: dict[tuple[str, bool], str] = {}


def _not_found_page(request) -> str:
    """The 404 page: rendered once per language and text size, then for each request only its CSRF token and
    the address the language switch returns to are written in. Every refused record and every mistyped or
    probed address answers it, which as a full template render cost about as much as the refusal itself.

    The page is rendered without the request, so that no user's data can enter the copy another user is
    served; messages waiting for the user are left for the next full page (the page shows none)."""
    user = getattr(request, "user", None)
    large_text = bool(getattr(user, "is_authenticated", False) and getattr(user, "large_text", False))
    key = (get_language(), large_text)
    page = _NOT_FOUND_PAGES.get(key)
    if page is None:
        page = render_to_string("404.html", {"large_text": large_text, "csrf_token": _TOKEN_MARK,
                                             "next_path": _PATH_MARK})
        if not settings.DEBUG:  # while developing, a changed template shows at once
            _NOT_FOUND_PAGES[key] = page
    return page.replace(_TOKEN_MARK, get_token(request)).replace(_PATH_MARK, escape(request.get_full_path()))


def server_error(request):
    """500; or 503 with Retry-After when no database connection came free in time (the bounded
    pool makes a burst wait rather than exhaust PostgreSQL). Neither page touches the database."""
    if _database_busy(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    from .crypto import TamperedValue

    if isinstance(sys.exc_info()[1], TamperedValue):
        # A stored personal value failed its authentication: say so, never show a wrong value.
        return HttpResponse(render_to_string("500.html", {"tampered": True}), status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


def _database_busy(exception) -> bool:
    from psycopg_pool import PoolTimeout, TooManyRequests

    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, PoolTimeout | TooManyRequests):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def bad_request(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": "Bad request"}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return HttpResponse(_not_found_page(request), status=404)


@login_not_required
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def notifications(request):
    qs = Notification.objects.for_user(request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


def todo_counts(request):
    """The menu's to-do badges: ``{url_name: count}`` of the user's own to-do sources (a bounded number of
    queries: one or a few per source)."""
    from .todolist import counts_for

    return JsonResponse(counts_for(request.user))


@require_POST
def notifications_read(request):
    from . import services

    services.mark_notifications_read(user=request.user)
    return redirect("core:notifications")


# ---------------------------------------------------------------------------------------------
# Public holidays and make-up working days




def _day_ranges(days) -> list[dict]:
    """Consecutive days of the same kind and holiday as one range (the way the arrangement is published)."""
    ranges: list[dict] = []
    for day in days:
        last = ranges[-1] if ranges else None
        if (last and (day.day - last["last"]).days == 1 and day.kind == last["kind"]
                and day.festival == last["festival"] and day.name == last["name"]):
            last["last"] = day.day
            last["count"] += 1
            last["sources"].add(day.get_source_display())
            continue
        ranges.append({"first": day.day, "last": day.day, "count": 1, "kind": day.kind, "festival": day.festival,
                       "name": day.name, "label": day.label, "kind_label": day.get_kind_display(),
                       "sources": {day.get_source_display()}})
    return ranges


def holidays(request):
    """The year's public holidays and make-up working days; administrators enter them here."""
    from . import services, workdays
    from .forms import CalendarDaysForm
    from .models import CalendarDay, CalendarYear
    from .periods import parse_year
    from .permissions import can_manage_workdays, can_view_workdays

    require(can_view_workdays(request.user))
    editable = can_manage_workdays(request.user)
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    form = CalendarDaysForm(request.POST or None, initial={"first": f"{year}-01-01"})
    status = 200
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.enter_days(first=data["first"], last=data["last"], kind=data["kind"],
                                            festival=data["festival"], name=data["name"], by=request.user,
                                            request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, ngettext("%(n)s day entered.", "%(n)s days entered.", len(saved))
                                 % {"n": len(saved)})
                return redirect(f"{reverse('core:holidays')}?year={data['first'].year}")
        status = 400
    days = list(CalendarDay.objects.filter(day__year=year).select_related("created_by"))
    complete = CalendarYear.objects.filter(year=year).select_related("completed_by").first()
    return render(request, "core/holidays.html", {
        "year": year, "previous": year - 1, "next": year + 1, "ranges": _day_ranges(days), "complete": complete,
        "form": form, "editable": editable, "warning_year": workdays.missing_year(today),
        "package_has_year": year in workdays.package_years(), "holiday_count": sum(d.kind == "holiday" for d in days),
    }, status=status)


@require_POST
def holidays_remove(request):
    from . import services
    from .forms import DayRangeForm
    from .permissions import can_manage_workdays

    require(can_manage_workdays(request.user))
    form = DayRangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the days to remove."))
        return redirect("core:holidays")
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    try:
        count = services.remove_days(first=first, last=last, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("%(n)s day removed.", "%(n)s days removed.", count) % {"n": count})
    return redirect(f"{reverse('core:holidays')}?year={first.year}")


@require_POST
def holidays_year(request, year: int):
    """Mark a year's arrangement complete, take it back, or copy it from the chinese-calendar package."""
    from . import services
    from .permissions import can_manage_workdays

    require(can_manage_workdays(request.user))
    from .periods import valid_year

    if not valid_year(year):
        raise Http404
    action = request.POST.get("action", "")
    actions = {"complete": services.complete_year, "reopen": services.reopen_year,
               "package": services.take_from_package}
    if action not in actions:
        messages.error(request, _("Unknown action."))
    else:
        try:
            actions[action](year=year, by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, {
                "complete": _("The arrangement for %(year)s is complete: its holidays now count."),
                "reopen": _("The arrangement for %(year)s is open again: days in it count Monday to Friday."),
                "package": _("The arrangement for %(year)s was taken from the chinese-calendar package."),
            }[action] % {"year": year})
    return redirect(f"{reverse('core:holidays')}?year={year}")
