"""Activities made directly (the publishing form is tested separately)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.service.models import Activity, ActivityKind, OpenTo

CSRF = "a" * 32


def activity(organization, *, starts_in=timedelta(days=2), hours=2, **extra) -> Activity:
    """An activity starting ``starts_in`` from now (negative: already under way)."""
    start = timezone.now() + starts_in
    values = {"title": "清理楼道杂物", "kind": ActivityKind.ENVIRONMENT, "place": "1号楼", "starts_at": start,
              "ends_at": start + timedelta(hours=hours), "open_to": OpenTo.MEMBERS}
    values.update(extra)
    return Activity.objects.create(organization=organization, **values)


def post(client, url, data=None, **extra):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)
