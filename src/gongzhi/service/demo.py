"""Demo service: the default point rules for the street, and a year of volunteer activities in
幸福社区 with check-ins — a core of active members and many barely active ones — and the
service-hour points their check-outs earned (same rule, caps and keys as ``post_points``);
four service teams (the vanguard team, environment, elderly care, safety patrol) organising the
activities of their kinds, and three recurring series (a weekly patrol for the patrol team's
members, a monthly environment day, the twice-yearly dumpling banquet)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.members.models import Member
from gongzhi.points.defaults import install_default_rules
from gongzhi.points.models import PointEntry, PointRule, RuleCode
from gongzhi.points.services import bulk_post

from .models import Activity, ActivityKind, CheckIn, OpenTo, SignUp, SignUpStatus, TeamMembership
from .services import create_series, create_team, hours_between

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
    me = ctx.data.get("demo_member")
    if me is not None and me not in core:
        core.append(me)
    # Each core member's own share of the activities, so the year's totals spread out below the
    # yearly cap instead of a crowd tying at it; the demo account sits in the middle, with room left.
    shares = random.Random("gongzhi-demo-service-shares")
    share = {m.pk: shares.uniform(0.05, 0.3) for m in core}
    if me is not None:
        share[me.pk] = 0.15
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
        takers = [m for m in core if rng.random() < share[m.pk]] + [m for m in members if rng.random() < 0.006]
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
    _resident_volunteers(ctx, xingfu, activities, signups, checkins, now)
    SignUp.objects.bulk_create(signups)
    CheckIn.objects.bulk_create(checkins)

    used: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    entries = []
    for checkin in checkins:
        on = timezone.localtime(checkin.checked_in_at).date()
        if checkin.member_id is None or on < rule.effective_from:  # residents earn hours, not points
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
    # The activity points each check-in earns (``services.post_activity_points``), in bulk.
    taking_part = sorted((c for c in checkins if c.member_id is not None), key=lambda c: (c.checked_in_at, c.pk))
    bulk_post(code=RuleCode.ACTIVITY, events=(
        (c.member_id, c.activity.organization, timezone.localtime(c.checked_in_at).date(), f"activity:{c.pk}", c)
        for c in taking_part))
    _redemptions(ctx, entries)
    ctx["activities"] = activities
    _teams_and_series(ctx, xingfu, members, core, organiser)


def _redemptions(ctx, entries) -> None:
    """About half the members with service points spent some in the points shop over the last
    months, each time with the points they had then; staff handed most items over, the last few wait."""
    from gongzhi.points.models import Redemption, Reward

    rng, today = ctx.rng, ctx.today
    rewards = list(ctx.data.get("rewards", []))
    if not rewards:
        return
    earned = defaultdict(list)
    for entry in entries:
        earned[entry.member_id].append(entry)
    staff = ctx["users"]["shegong"]
    spending, redemptions, stock = [], [], {r.pk: r.stock for r in rewards}
    for member_id in sorted(earned):
        if rng.random() > 0.5:
            continue
        balance, spent = Decimal(0), Decimal(0)
        for entry in sorted(earned[member_id], key=lambda e: e.occurred_on):
            balance += entry.points
            if not (today - timedelta(days=150) <= entry.occurred_on < today) or rng.random() > 0.2:
                continue
            reward = rng.choice(rewards)
            if balance - spent < reward.price or stock[reward.pk] < 1:
                continue
            spent += reward.price
            stock[reward.pk] -= 1
            on = entry.occurred_on + timedelta(days=1)
            spending.append(PointEntry(
                member_id=member_id, organization=reward.organization, points=-reward.price,
                code=RuleCode.REDEMPTION, source_type="points.reward", source_id=str(reward.pk),
                idempotency_key=f"redeem:demo-{member_id}-{len(spending)}", occurred_on=on, reason=reward.name,
                posted_by=staff))
            redemptions.append((member_id, reward, on))
    PointEntry.objects.bulk_create(spending)
    made = Redemption.objects.bulk_create(
        Redemption(member_id=member_id, reward=reward, points=reward.price, entry=entry,
                   idempotency_key=entry.idempotency_key.removeprefix("redeem:"))
        for (member_id, reward, _on), entry in zip(redemptions, spending, strict=True))
    for redemption, (_m, _r, on) in zip(made, redemptions, strict=True):
        redemption.created_at = _local(on, 10)
        if on < today - timedelta(days=40):
            redemption.handed_over_at, redemption.handed_over_by = _local(on + timedelta(days=2), 15), staff
    Redemption.objects.bulk_update(made, ["created_at", "handed_over_at", "handed_over_by"])
    for reward in rewards:
        reward.stock = stock[reward.pk]
    Reward.objects.bulk_update(rewards, ["stock"])


def _resident_volunteers(ctx, xingfu, activities, signups, checkins, now) -> None:
    """A few residents (the demo resident among them) join activities open to residents."""
    from gongzhi.members.models import Resident

    rng = ctx.rng
    residents = list(Resident.objects.filter(community=xingfu).order_by("pk"))
    volunteers = [r for r in residents if rng.random() < 0.08]
    demo = next((r for r in residents if r.user_id == ctx["users"]["jumin"].pk), None)
    if demo is not None and demo not in volunteers:
        volunteers.append(demo)
    taken = defaultdict(int)
    for signup in signups:
        taken[id(signup.activity)] += 1
    for activity in activities:
        if activity.open_to != OpenTo.RESIDENTS:
            continue
        for resident in volunteers:
            if rng.random() > 0.3 or (activity.capacity and taken[id(activity)] >= activity.capacity):
                continue
            taken[id(activity)] += 1
            signups.append(SignUp(activity=activity, resident=resident, status=SignUpStatus.SIGNED_UP))
            if activity.ends_at < now and rng.random() < 0.85:
                arrived = activity.starts_at + timedelta(minutes=rng.choice([-10, 0, 5]))
                left = activity.ends_at + timedelta(minutes=rng.choice([-20, 0, 10]))
                checkins.append(CheckIn(activity=activity, resident=resident, checked_in_at=arrived,
                                        checked_out_at=left, hours=hours_between(activity, arrived, left),
                                        recorded_by=resident.user))


TEAMS = [
    # name, organization key ("community" or a grid number), kinds, share of the core, grids covered
    ("党员先锋服务队", "community", [ActivityKind.EPIDEMIC, ActivityKind.ENVIRONMENT, ActivityKind.RENOVATION,
                              ActivityKind.POLICY], 0.7, "all"),
    ("环境卫生服务队", 1, [ActivityKind.ENVIRONMENT], 0.3, "own"),
    ("敬老助老服务队", "retirees", [ActivityKind.ELDERLY, ActivityKind.CULTURE], 0.3, "all"),
    ("平安巡逻队", "community", [ActivityKind.PATROL], 0.35, "all"),
]


def _teams_and_series(ctx, xingfu, members, core, organiser) -> None:
    from datetime import time as clock

    rng, today = ctx.rng, ctx.today
    me = ctx.data.get("demo_member")
    grids = [g for (key, _n), g in ctx["grids"].items() if key == "xingfu"]
    teams, memberships = {}, []
    for name, where, kinds, share, covers in TEAMS:
        organization = xingfu if where == "community" else ctx["branches"][("xingfu", where)]
        covered = grids if covers == "all" else [ctx["grids"][("xingfu", where)]]
        team = create_team(organization=organization, name=name, kinds=kinds, grids=covered, by=organiser,
                           description=f"{xingfu.name.replace('党委', '')}{name}，由党员志愿者组成。")
        chosen = [m for m in core if rng.random() < share] + [m for m in members if rng.random() < 0.02]
        if me is not None and name != "敬老助老服务队" and me not in chosen:
            chosen.append(me)
        chosen = list(dict.fromkeys(chosen))
        for member in chosen:
            joined = today - timedelta(days=rng.randint(200, 700))
            left = today - timedelta(days=rng.randint(10, 150)) if member is not me and rng.random() < 0.08 else None
            memberships.append(TeamMembership(team=team, member=member, joined_on=joined, left_on=left))
        leader = next((m for m in chosen if m is not me), None)
        team.leader = leader
        team.save(update_fields=["leader"])
        teams[name] = team
    TeamMembership.objects.bulk_create(memberships)
    ctx["teams"] = teams

    # Each specialised team organises the activities of its kinds, the vanguard team the rest.
    for name, _where, kinds, _share, _covers in reversed(TEAMS):
        Activity.objects.filter(organization__path__startswith=xingfu.path, kind__in=kinds,
                                team__isnull=True).update(team=teams[name])

    first = today + timedelta(days=1)
    patrol = teams["平安巡逻队"]
    create_series(organization=xingfu, by=organiser, title="周六夜间平安巡逻", kind=ActivityKind.PATROL,
                  place="小区东门岗亭集合", description="沿小区主干道和地下车库巡查消防通道、电动车充电隐患。",
                  start_time=clock(19, 0), end_time=clock(21, 0), capacity=12, open_to=OpenTo.TEAM, team=patrol,
                  requires_signup=True, frequency="weekly", interval=1, weekdays="5", starts_on=first, count=12)
    create_series(organization=xingfu, by=organiser, title="每月环境整治日", kind=ActivityKind.ENVIRONMENT,
                  place="党群服务中心门前", description="清理楼道杂物、绿地垃圾，居民可一同参加。",
                  start_time=clock(9, 0), end_time=clock(11, 0), capacity=None, open_to=OpenTo.RESIDENTS,
                  team=teams["党员先锋服务队"], requires_signup=False, frequency="monthly", interval=1,
                  month_day=15, starts_on=first, count=6)
    create_series(organization=xingfu, by=organiser, title="敬老饺子宴", kind=ActivityKind.ELDERLY,
                  place="社区老年食堂", description="一年两次（春节前、重阳节前）为高龄和独居老人包饺子。",
                  start_time=clock(10, 0), end_time=clock(13, 0), capacity=30, open_to=OpenTo.MEMBERS,
                  team=teams["敬老助老服务队"], requires_signup=True, frequency="monthly", interval=6,
                  month_day=20, starts_on=first, count=2)
