"""Shared pages: error pages, the notification list, the health check."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification


def _api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _api(request):  # a path no API operation has: the API's own JSON answer
        return JsonResponse({"detail": "Not found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """500; or 503 with Retry-After when no database connection came free in time (the bounded
    pool makes a burst wait rather than exhaust PostgreSQL). Neither page touches the database."""
    if _database_busy(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
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
    return render(request, "404.html", status=404)


@login_not_required
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def notifications(request):
    qs = Notification.objects.for_user(request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_POST
def notifications_read(request):
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    return redirect("core:notifications")
