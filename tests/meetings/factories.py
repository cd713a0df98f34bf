"""Meetings made through the services, as a secretary would make them."""

from __future__ import annotations

from datetime import date, time

from gongzhi.meetings import services
from gongzhi.meetings.models import Meeting, MeetingKind, MeetingStatus


def held_meeting(organization, *, kind=MeetingKind.THEME_DAY, day: date, by=None, status=MeetingStatus.CONFIRMED,
                 topic="主题党日") -> Meeting:
    """A meeting held on ``day`` (rows written directly: for compliance data sets)."""
    return Meeting.objects.create(organization=organization, kind=kind, topic=topic, date=day,
                                  start_time=time(9, 0), place="党群服务站", status=status, created_by=by)


def planned_meeting(organization, *, by, kind=MeetingKind.THEME_DAY, day: date, **extra) -> Meeting:
    return services.plan_meeting(organization=organization, kind=kind, topic="学习党章", date=day,
                                 start_time=time(9, 0), place="党群服务站", by=by, **extra)


CSRF = "a" * 32


def post(client, url, data=None, **extra):
    """A POST through the CSRF check, as a browser with the cookie and header would send it."""
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)
