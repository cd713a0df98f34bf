"""Demo service: the default point rules for the street, and a year of volunteer activities in
幸福社区 with check-ins — a core of active members and many barely active ones — and the
service-hour points their check-outs earned (same rule, caps and keys as ``post_points``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.members.models import Member
from gongzhi.points.defaults import install_default_rules
from gongzhi.points.models import PointEntry, PointRule, RuleCode

from .models import Activity, ActivityKind, CheckIn, OpenTo, SignUp, SignUpStatus
from .services import hours_between

TITLES = {
    ActivityKind.ENVIRONMENT: ["楼道杂物清理", "小区绿地捡拾垃圾", "垃圾分类桶站值守"],
    ActivityKind.ELDERLY: ["走访慰问独居老人", "为高龄老人理发", "陪伴空巢老人聊天"],
    ActivityKind.POLICY: ["医保政策宣讲", "反诈知识宣传", "民法典进社区"],
    ActivityKind.PATROL: ["平安巡逻", "消防通道检查", "电动车充电隐患排查"],
    ActivityKind.CULTURE: ["社区读书会", "重阳节文艺汇演", "书法进社区"],
    ActivityKind.RENOVATION: ["老旧小区改造意见征集", "加装电梯协调会"],
    ActivityKind.EPIDEMIC: ["流感疫苗接种引导"],
    ActivityKind.OTHER: ["社区议事协商会服务"],
}
PLACES = ["党群服务中心", "1号楼下", "小区中心广场", "社区活动室", "东门岗亭"]


def _local(day: date, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def build(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    street, xingfu = ctx["street"], ctx["communities"]["xingfu"]
    install_default_rules(street, effective_from=date(today.year - 1, 1, 1))
    rule = PointRule.objects.get(organization=street, code=RuleCode.SERVICE_HOUR, activity_kind="")
    publishers = [xingfu, *[b for (key, _n), b in ctx["branches"].items() if key == "xingfu"]]
    members = list(Member.objects.in_subtree(xingfu).current().order_by("pk"))
    core = [m for m in members if rng.random() < 0.15]
    if ctx.data.get("demo_member") is not None and ctx["demo_member"] not in core:
        core.append(ctx["demo_member"])
    organiser = ctx["users"]["shegong"]

    activities = []
    day = today - timedelta(days=364)
    while day < today + timedelta(days=14):
        for _k in range(2 if day.weekday() in (2, 5) else 0):
            kind = rng.choice(list(TITLES))
            start_hour = rng.choice([9, 14, 15, 19])
            activities.append(Activity(
                organization=rng.choice(publishers), title=rng.choice(TITLES[kind]), kind=kind,
                place=rng.choice(PLACES), starts_at=_local(day, start_hour),
                ends_at=_local(day, start_hour + rng.choice([1, 2, 2, 3])),
                capacity=rng.choice([None, 10, 20, 30]),
                open_to=OpenTo.RESIDENTS if kind in (ActivityKind.CULTURE, ActivityKind.POLICY) else OpenTo.MEMBERS,
                requires_signup=kind != ActivityKind.PATROL, created_by=organiser))
        day += timedelta(days=1)
    Activity.objects.bulk_create(activities)

    now = timezone.now()
    signups, checkins = [], []
    for activity in activities:
        takers = [m for m in core if rng.random() < 0.45] + [m for m in members if rng.random() < 0.006]
        takers = list(dict.fromkeys(takers))
        if activity.capacity:
            takers = takers[:activity.capacity]
        for member in takers:
            signups.append(SignUp(activity=activity, member=member, status=SignUpStatus.SIGNED_UP))
            if activity.ends_at < now and rng.random() < 0.9:
                arrived = activity.starts_at + timedelta(minutes=rng.choice([-10, 0, 5, 15]))
                left = activity.ends_at + timedelta(minutes=rng.choice([-30, -10, 0, 20]))
                checkins.append(CheckIn(activity=activity, member=member, checked_in_at=arrived,
                                        checked_out_at=left, hours=hours_between(activity, arrived, left),
                                        recorded_by=member.user))
    SignUp.objects.bulk_create(signups)
    CheckIn.objects.bulk_create(checkins)

    used: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    entries = []
    for checkin in checkins:
        on = timezone.localtime(checkin.checked_in_at).date()
        if on < rule.effective_from:
            continue
        points = rule.points_for(checkin.hours)
        if rule.yearly_cap is not None:
            points = min(points, max(rule.yearly_cap - used[(checkin.member_id, on.year)], Decimal(0)))
        if points <= 0:
            continue
        used[(checkin.member_id, on.year)] += points
        entries.append(PointEntry(
            member_id=checkin.member_id, organization=checkin.activity.organization, points=points,
            code=RuleCode.SERVICE_HOUR, rule=rule, source_type="service.checkin", source_id=str(checkin.pk),
            idempotency_key=f"checkin:{checkin.pk}", hours=checkin.hours, occurred_on=on,
            posted_by=checkin.recorded_by))
    PointEntry.objects.bulk_create(entries, batch_size=1000)
    ctx["activities"] = activities
