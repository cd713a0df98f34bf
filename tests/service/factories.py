"""Activities made directly (the publishing form is tested separately)."""

from __future__ import annotations

from datetime import date, timedelta

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


def team(organization, *, name="先锋服务队", members=(), leader=None, **extra):
    from gongzhi.service.models import ServiceTeam, TeamMembership

    found = ServiceTeam.objects.filter(organization=organization, name=name).first()
    if found is not None:
        return found
    created = ServiceTeam.objects.create(organization=organization, name=name, **extra)
    for member in members:
        TeamMembership.objects.create(team=created, member=member, joined_on=timezone.localdate() - timedelta(days=30))
    if leader is not None:
        created.leader = leader
        created.save(update_fields=["leader"])
    return created


def series(organization, *, title="每周平安巡逻", by=None, **extra):
    """A weekly series (Wednesdays and Saturdays) from tomorrow for eight weeks."""
    from datetime import time

    from gongzhi.service.models import ActivitySeries
    from gongzhi.service.services import create_series

    found = ActivitySeries.objects.filter(organization=organization, title=title).first()
    if found is not None:
        return found
    values = {"title": title, "kind": ActivityKind.PATROL, "place": "东门岗亭", "start_time": time(19, 0),
              "end_time": time(21, 0), "frequency": "weekly", "interval": 1, "weekdays": "25",
              "starts_on": timezone.localdate() + timedelta(days=1), "count": 16, "open_to": OpenTo.MEMBERS}
    values.update(extra)
    return create_series(organization=organization, by=by, **values)[0]


def under_way(organization, **extra) -> Activity:
    """An activity under way for two hours since ten minutes ago, with no sign-up required: one to check in to now."""
    return activity(organization, starts_in=-timedelta(minutes=10), hours=2, requires_signup=False, **extra)


def activity_rule(world, **values):
    """A rule of the street's giving activity points, in force since 2020."""
    from gongzhi.points.models import PointRule, RuleCode

    return PointRule.objects.create(organization=world.street_a, code=RuleCode.ACTIVITY,
                                    effective_from=date(2020, 1, 1), **values)


def activity_points(member) -> list:
    """The member's activity points, entry by entry."""
    from gongzhi.points.models import PointEntry, RuleCode

    return list(PointEntry.objects.filter(member=member, code=RuleCode.ACTIVITY).order_by("id")
                .values_list("points", flat=True))
