"""Demo requests for 幸福社区: routing rules, ~200 requests over the past year in every category with
realistic handling times and ratings, a few overdue and escalated, and some small wishes (bulk_create)."""

from __future__ import annotations

import base64
from datetime import datetime, time, timedelta

from django.utils import timezone

from gongzhi.core.workdays import WorkCalendar, working_day_deadline
from gongzhi.members.models import Member, Resident
from gongzhi.orgs.models import Grid

from .models import (
    Category,
    Channel,
    EventKind,
    Rating,
    Request,
    RequestEvent,
    RoutingRule,
    Status,
    Wish,
    WishStatus,
)
from .services import DEFAULTS

TEXTS = {
    Category.ENVIRONMENT: ["小区东门垃圾桶满了没人清运", "楼下绿地有人堆放建筑垃圾", "广场舞音量太大影响休息"],
    Category.PROPERTY: ["电梯经常停运，老人上下楼困难", "地下车库照明坏了好几盏", "物业费公示不清楚"],
    Category.SAFETY: ["消防通道被私家车占用", "楼道里有人给电动车充电", "路口井盖松动"],
    Category.NEIGHBOUR: ["楼上漏水到我家，协商不成", "邻居在公共走廊堆放杂物", "宠物狗夜间吠叫扰民"],
    Category.ELDERLY_CHILDREN: ["独居老人希望有人定期探访", "希望社区开设四点半课堂", "老年食堂能否增加送餐"],
    Category.FACILITIES: ["健身器材损坏有安全隐患", "单元门禁失灵", "小区路灯不亮"],
    Category.POLICY: ["咨询城乡居民医保缴费", "咨询高龄津贴申领条件", "咨询老旧小区加装电梯政策"],
    Category.OTHER: ["建议增设快递柜", "希望组织社区读书会", "建议增加非机动车停车棚"],
}
ANSWERS = ["已联系相关单位现场处理", "已安排网格员上门查看", "已协调物业维修完毕", "已电话答复政策口径"]
WEIGHTS = [(Category.ENVIRONMENT, 4), (Category.PROPERTY, 5), (Category.SAFETY, 2), (Category.NEIGHBOUR, 2),
           (Category.ELDERLY_CHILDREN, 2), (Category.FACILITIES, 3), (Category.POLICY, 2), (Category.OTHER, 1)]
WISHES = ["想要一台收音机听戏", "希望有人教我用智能手机", "孩子想要一套课外书", "想要一副老花镜",
          "希望有人帮忙修理轮椅", "想学包饺子的志愿者陪我过节"]


def _number(rng) -> str:
    """Deterministic demo tracking numbers of the same shape as real ones."""
    return base64.urlsafe_b64encode(rng.getrandbits(72).to_bytes(9, "big")).decode()


def build(ctx) -> None:
    rng, community = ctx.rng, ctx["xingfu"]
    now = timezone.make_aware(datetime.combine(ctx.today, time(10, 0)))
    grids = list(Grid.objects.filter(community=community).select_related("branch").order_by("code"))
    property_org = ctx["units"]["unit_property"].organization
    rules = [RoutingRule(community=community, category=Category.PROPERTY, handler=property_org),
             RoutingRule(community=community, category=Category.SAFETY, handler=community),
             RoutingRule(community=community, category=Category.POLICY, handler=community)]
    rules += [RoutingRule(community=community, category=c, grid=g, handler=g.branch)
              for g in grids if g.branch_id
              for c in (Category.ENVIRONMENT, Category.NEIGHBOUR, Category.FACILITIES, Category.ELDERLY_CHILDREN)]
    RoutingRule.objects.bulk_create(rules)
    table = {(r.category, r.grid_id): r.handler for r in rules}
    residents = list(Resident.objects.filter(community=community).values_list("pk", "phone")[:300])
    categories = [c for c, w in WEIGHTS for _i in range(w)]

    requests = []
    # The 200 deadlines read one calendar of the year's dates (and the weeks after) instead of one each.
    calendar = WorkCalendar(ctx.today - timedelta(days=366), ctx.today + timedelta(days=120))
    for i in range(200):
        category = rng.choice(categories)
        grid = rng.choice(grids)
        received = now - timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        hours, days = DEFAULTS[category]
        deadline = working_day_deadline(timezone.localdate(received), days, calendar=calendar)
        req = Request(community=community, category=category, text=rng.choice(TEXTS[category]), grid=grid,
                      channel=rng.choice([Channel.QR, Channel.QR, Channel.ONLINE, Channel.PHONE, Channel.VISIT]),
                      anonymous=rng.random() < 0.15, created_at=received, tracking_number=_number(rng),
                      handler=table.get((category, grid.pk)) or table.get((category, None)) or community,
                      first_answer_due=received + timedelta(hours=hours),
                      resolution_due=deadline.due, resolution_days=days,
                      deadline_provisional=deadline.provisional)
        resident_pk, phone = rng.choice(residents) if residents else (None, "")
        req.resident_id, req.contact_phone = (resident_pk, phone or "") if rng.random() < 0.6 else (None, "")
        age = now - received
        answer_after = timedelta(hours=rng.uniform(0.5, hours * (1.6 if rng.random() < 0.12 else 0.9)))
        resolve_after = timedelta(hours=rng.uniform(4, days * 24 * (1.5 if rng.random() < 0.15 else 1.0)))
        escalate = i % 40 == 0
        if escalate or age < answer_after:
            req.status = Status.RECEIVED if age < timedelta(hours=2) or escalate else Status.ACCEPTED
        else:
            req.accepted_at = req.answered_at = received + answer_after
            req.status = Status.ANSWERED
            if age > resolve_after:
                req.resolved_at = received + max(resolve_after, answer_after)
                req.status = Status.RESOLVED
                if rng.random() < 0.8:
                    req.rating = rng.choices(Rating.values, weights=[70, 22, 8])[0]
                    req.ratings_given, req.status = 1, Status.CLOSED
        if escalate and req.first_answer_due < now:
            req.escalated_answer, req.escalations = True, 1
            req.handler = req.handler.parent if req.handler.parent_id else req.handler
        requests.append(req)
    Request.objects.bulk_create(requests)

    events = []
    for req in requests:
        events.append(RequestEvent(request=req, kind=EventKind.SUBMITTED, organization=req.handler,
                                   created_at=req.created_at))
        if req.accepted_at:
            events.append(RequestEvent(request=req, kind=EventKind.ACCEPTED, organization=req.handler,
                                       created_at=req.accepted_at))
            events.append(RequestEvent(request=req, kind=EventKind.ANSWERED, organization=req.handler,
                                       note=rng.choice(ANSWERS), created_at=req.answered_at))
        if req.resolved_at:
            events.append(RequestEvent(request=req, kind=EventKind.RESOLVED, organization=req.handler,
                                       note=rng.choice(ANSWERS), created_at=req.resolved_at))
        if req.rating:
            events.append(RequestEvent(request=req, kind=EventKind.RATED, organization=req.handler,
                                       note=Rating(req.rating).label, created_at=req.resolved_at + timedelta(hours=5)))
            events.append(RequestEvent(request=req, kind=EventKind.CLOSED, organization=req.handler,
                                       created_at=req.resolved_at + timedelta(hours=5)))
        if req.escalations:
            events.append(RequestEvent(request=req, kind=EventKind.ESCALATED, organization=req.handler,
                                       note="首次答复超时，已上提一级", created_at=req.first_answer_due))
    RequestEvent.objects.bulk_create(events)

    members = list(Member.objects.filter(community=community).order_by("pk")[:20])
    wishes = []
    for n, text in enumerate(WISHES * 2):
        status = [WishStatus.OPEN, WishStatus.CLAIMED, WishStatus.CONFIRMED][n % 3]
        wish = Wish(community=community, text=text, status=status,
                    resident_id=residents[n][0] if residents else None)
        if status != WishStatus.OPEN and members:
            wish.claimed_by = members[n % len(members)]
            wish.claimed_at = now - timedelta(days=20 - n)
        if status == WishStatus.CONFIRMED:
            wish.fulfilled_at = wish.confirmed_at = now - timedelta(days=10 - n // 2)
        wishes.append(wish)
    Wish.objects.bulk_create(wishes)
    _consultations(ctx, community, now)


def _consultations(ctx, community, now) -> None:
    """Two topics: one open for opinions (the demo resident has not yet given one), one with its outcome
    published after the meeting."""
    from .models import Consultation, ConsultationEvent, ConsultationOption, ConsultationStatus, Opinion

    rng, today, staff = ctx.rng, ctx.today, ctx["users"]["shegong"]
    demo_resident = Resident.objects.filter(user=ctx["users"]["jumin"]).first()
    voters = list(Resident.objects.filter(community=community).exclude(pk=getattr(demo_resident, "pk", None))
                  .order_by("id")[:120])
    topics = [
        ("老旧小区停车难怎么办",
         "小区建于上世纪九十年代，车位严重不足，夜间乱停车堵塞消防通道。请居民就以下方案发表意见。",
         ["施划停车位并实行错时停车", "与周边单位共享夜间车位", "建设立体停车设施"], ConsultationStatus.OPEN,
         today - timedelta(days=5), today + timedelta(days=9), "", ""),
        ("3号楼加装电梯方案", "3号楼共六层，老年住户多。加装电梯需占用部分绿地，费用由住户按楼层分摊。",
         ["同意加装，按楼层分摊", "同意加装，但希望争取更多补贴", "暂不加装"], ConsultationStatus.PUBLISHED,
         today - timedelta(days=60), today - timedelta(days=40),
         "居民议事会在社区党群服务中心召开，居民代表、物业和施工方共21人参加。",
         "多数住户同意加装电梯。社区协助申请旧改补贴，一层住户不分摊费用，施工于下月启动。"),
    ]
    for title, description, options, status, opens_on, closes_on, note, outcome in topics:
        topic = Consultation.objects.create(
            community=community, title=title, description=description, opens_on=opens_on, closes_on=closes_on,
            status=status, meeting_on=closes_on + timedelta(days=5) if outcome else None, meeting_note=note,
            outcome=outcome, created_by=staff,
            published_at=now - timedelta(days=30) if status == ConsultationStatus.PUBLISHED else None)
        choices = ConsultationOption.objects.bulk_create([ConsultationOption(consultation=topic, text=t, position=i)
                                                          for i, t in enumerate(options)])
        weights = [5, 3, 1] if status == ConsultationStatus.PUBLISHED else [3, 3, 2]
        sample = voters[: rng.randint(25, 60)]
        remarks = ["希望尽快落实", "支持，但要注意安全", "建议先听听老人的意见", "费用要公开透明", ""]
        Opinion.objects.bulk_create([
            Opinion(consultation=topic, resident=r, option=rng.choices(choices, weights=weights)[0],
                    text=rng.choice(remarks)) for r in sample])
        kinds = [ConsultationEvent.Kind.CREATED, ConsultationEvent.Kind.OPENED]
        if status == ConsultationStatus.PUBLISHED:
            kinds += [ConsultationEvent.Kind.CLOSED, ConsultationEvent.Kind.MEETING, ConsultationEvent.Kind.PUBLISHED]
        ConsultationEvent.objects.bulk_create([ConsultationEvent(consultation=topic, kind=k, actor=staff)
                                               for k in kinds])
