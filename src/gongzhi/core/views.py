"""Shared pages: error pages, the notification list, the health check."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
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
