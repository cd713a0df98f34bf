"""Demo publicity: 幸福社区's board since the start of last year (its own quarterly party and residents' affairs
entries, last year's appraisal results drafted from the appraisal records; the dues and funds disclosures are
drafted from the ledgers by the money demo), one affairs report withdrawn and corrected, one item waiting for
the secretary's approval; the other
communities have published nothing this year, so the street's overdue list is not empty. News with photos
of an activity, a policy explained, and a water-cut notice asking residents of grid 1 to confirm they read it.

Items are written in bulk with their past dates (the services stamp "now"); their history rows too.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone

from gongzhi.core.periods import Period

from . import catalogue, services
from .models import (
    Board,
    CatalogueRule,
    Category,
    Frequency,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    Post,
    PostKind,
    PostPhoto,
    PostStatus,
)

PARTY_KEY, AFFAIRS_KEY = "custom-xingfu-party", "custom-xingfu-affairs"
AFFAIRS_TOPICS = [
    "老旧小区改造进展、楼道清理整治、垃圾分类督导",
    "红色物业议事会议定事项落实情况、电动车充电桩安装",
    "“饺子宴”敬老活动、独居老人结对帮扶、社区卫生服务站义诊",
    "雨污分流工程、小区停车秩序整治、平安巡逻",
]


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _quarters(start: date, today: date) -> list[Period]:
    periods, period = [], Period.containing("quarter", start)
    while period.end < today:
        periods.append(period)
        period = Period.containing("quarter", period.end + timedelta(days=1))
    return periods


def _meetings_text(community, period: Period) -> str:
    from gongzhi.meetings.models import HELD_STATUSES, Meeting, MeetingKind

    rows = {kind: n for kind, n in Meeting.objects.filter(
        organization__path__startswith=community.path, status__in=HELD_STATUSES, date__gte=period.start,
        date__lte=period.end).values_list("kind").annotate(n=Count("id")).order_by()}
    parts = [f"{MeetingKind(kind).label}{rows[kind]}次" for kind in MeetingKind.values if rows.get(kind)]
    return (f"{period.start.year}年第{(period.start.month - 1) // 3 + 1}季度，社区党委及所属支部、党小组共召开"
            f"{'、'.join(parts) or '会议0次'}（据会议记录统计）。各支部按时开展主题党日活动，党员参加志愿服务。")


def _published_item(*, community, author, approver, category, title, body, key="", period=None, published_on,
                    until=None) -> tuple[Item, list[ItemEvent]]:
    item = Item(organization=community, category=category, title=title, body=body, catalogue_key=key,
                period_start=period.start if period else None, period_end=period.end if period else None,
                visible_from=published_on, visible_until=until, status=ItemStatus.PUBLISHED, created_by=author,
                submitted_at=_at(published_on - timedelta(days=2)), approved_by=approver,
                approved_at=_at(published_on, 9), published_at=_at(published_on, 10))
    events = [(ItemEventKind.DRAFTED, author, published_on - timedelta(days=3)),
              (ItemEventKind.SUBMITTED, author, published_on - timedelta(days=2)),
              (ItemEventKind.APPROVED, approver, published_on), (ItemEventKind.PUBLISHED, approver, published_on)]
    return item, [ItemEvent(kind=kind, actor=actor, created_at=_at(day, 9 + n))
                  for n, (kind, actor, day) in enumerate(events)]


def _board(ctx, community, staff, secretary) -> None:
    rng, today = ctx.rng, ctx.today
    opened = date(today.year - 1, 1, 1)
    Board.objects.create(organization=community, opened_on=opened,
                         intro="幸福社区党委依法依规公开党务、居务和财务。扫码即可查看，有疑问可直接在事项下提问。")
    CatalogueRule.objects.bulk_create([
        CatalogueRule(organization=community, key=PARTY_KEY, title="党务公开：组织生活开展情况",
                      category=Category.PARTY, frequency=Frequency.QUARTER, due_days=15, changed_by=secretary),
        CatalogueRule(organization=community, key=AFFAIRS_KEY, title="居务公开：社区工作季度通报",
                      category=Category.AFFAIRS, frequency=Frequency.QUARTER, due_days=15, changed_by=secretary)])
    quarters = _quarters(opened, today)
    made: list[tuple[Item, list[ItemEvent]]] = []
    for n, period in enumerate(quarters):
        label = f"{period.start.year}年第{(period.start.month - 1) // 3 + 1}季度"
        # Published within the 15 days allowed, one quarter's affairs report a few days late.
        on_day = period.end + timedelta(days=rng.randint(5, 12))
        late_day = period.end + timedelta(days=19)
        until = on_day + timedelta(days=120)
        made.append(_published_item(
            community=community, author=staff, approver=secretary, category=Category.PARTY,
            title=f"{label}党务公开：组织生活开展情况", body=_meetings_text(community, period), key=PARTY_KEY,
            period=period, published_on=on_day, until=until))
        made.append(_published_item(
            community=community, author=staff, approver=secretary, category=Category.AFFAIRS,
            title=f"{label}居务公开：社区工作季度通报",
            body=f"{label}社区重点工作：{AFFAIRS_TOPICS[n % len(AFFAIRS_TOPICS)]}。"
                 "详细情况欢迎到社区党群服务中心查询。",
            key=AFFAIRS_KEY, period=period, published_on=late_day if n == 1 else on_day, until=until))
    year = Period.year(today.year - 1)
    appraisal_day = date(today.year, 1, 20)
    if appraisal_day < today:
        made.append(_published_item(
            community=community, author=staff, approver=secretary, category=Category.PARTY,
            title=f"{today.year - 1}年度民主评议党员结果公示", body=catalogue.appraisal_draft(community, year),
            key="meetings.appraisal", period=year, published_on=appraisal_day,
            until=appraisal_day + timedelta(days=30)))
    Item.objects.bulk_create([item for item, _events in made])
    for item, events in made:
        for event in events:
            event.item = item
    ItemEvent.objects.bulk_create([e for _item, events in made for e in events])
    _withdrawn_and_corrected(community, staff, secretary, [i for i, _e in made])
    services.submit_item(item=services.create_item(
        organization=community, category=Category.AFFAIRS, title="幸福小区3号楼加装电梯项目施工单位比选结果公示",
        body="经业主代表、社区、物业三方比选，确定施工单位为本市某电梯安装公司，报价及评分明细见附件。公示期7天。",
        visible_from=today, visible_until=today + timedelta(days=7), by=staff), by=staff)


def _withdrawn_and_corrected(community, staff, secretary, items) -> None:
    """The second-to-last quarterly affairs report named the wrong works: withdrawn three days later with the
    reason, and a corrected report published the same day (its history stays public)."""
    affairs = [i for i in items if i.catalogue_key == AFFAIRS_KEY]
    if len(affairs) < 2:
        return
    wrong = affairs[-2]
    withdrawn_on = wrong.visible_from + timedelta(days=3)
    reason = "通报所列重点工作与社区两委会议定事项不一致，已更正重新公开"
    Item.objects.filter(pk=wrong.pk).update(status=ItemStatus.WITHDRAWN, withdrawn_at=_at(withdrawn_on, 15),
                                            withdrawn_by=secretary, withdrawal_reason=reason)
    period = Period(wrong.period_start, wrong.period_end, "quarter")
    label, _topics = wrong.body.split("社区重点工作：", 1)
    topics = AFFAIRS_TOPICS[(len(affairs) - 1) % len(AFFAIRS_TOPICS)]
    corrected, events = _published_item(
        community=community, author=staff, approver=secretary, category=Category.AFFAIRS,
        title=wrong.title + "（更正）",
        body=f"{label}社区重点工作：{topics}。详细情况欢迎到社区党群服务中心查询。\n（本通报更正了此前公布的重点工作。）",
        key=AFFAIRS_KEY, period=period, published_on=withdrawn_on, until=wrong.visible_until)
    corrected.replaces = wrong
    corrected.save()
    ItemEvent.objects.bulk_create([ItemEvent(item=wrong, kind=ItemEventKind.WITHDRAWN, actor=secretary,
                                             note=reason,
                                             created_at=_at(withdrawn_on, 15))]
                                  + [ItemEvent(item=corrected, kind=e.kind, actor=e.actor, created_at=e.created_at)
                                     for e in events])


def demo_picture(seed: int, label: str) -> ContentFile:
    """A small generated picture (the demo ships no photographs): a new file each call."""
    return ContentFile(_picture_png(seed, label))


@lru_cache(maxsize=64)
def _picture_png(seed: int, label: str) -> bytes:
    """The PNG of a demo picture: drawn from ``seed`` and ``label`` alone, so a process loading the demo
    again (a test worker making both demo templates) reuses it; encoding one costs about 6 ms of CPU."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (640, 400), (rng.randint(150, 220), rng.randint(60, 120), rng.randint(50, 90)))
    draw = ImageDraw.Draw(image)
    for _n in range(12):
        x, y, r = rng.randint(0, 640), rng.randint(0, 400), rng.randint(20, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randint(200, 255), rng.randint(150, 230), 90))
    draw.rectangle((0, 340, 640, 400), fill=(120, 20, 20))
    draw.text((20, 360), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _news(ctx, community, staff) -> None:
    today = ctx.today
    now = timezone.now()
    activities = [a for a in ctx.data.get("activities", []) if a.organization_id == community.pk
                  and a.ends_at < now]
    activity = activities[-1] if activities else None
    news = Post.objects.create(
        organization=community, kind=PostKind.NEWS, activity=activity, status=PostStatus.PUBLISHED,
        title=f"{activity.title if activity else '志愿服务'}：党员群众齐参与",
        body="社区党员先锋服务队和居民志愿者一起参加活动，清理楼道杂物、宣传垃圾分类，受到居民好评。"
             "欢迎更多居民加入志愿服务队伍。",
        created_by=staff, published_at=activity.ends_at + timedelta(hours=3) if activity else now)
    for n, caption in enumerate(["志愿者集合出发", "清理楼道杂物"]):
        photo = PostPhoto(post=news, content_type="image/png", caption=caption)
        photo.file.save("photo", demo_picture(n + 1, f"Xingfu volunteers {n + 1}"), save=False)
        photo.save()
    Post.objects.create(
        organization=community, kind=PostKind.POLICY, status=PostStatus.PUBLISHED, created_by=staff,
        title=f"{today.year + 1}年度城乡居民医保缴费政策解读",
        body="一、缴费时间：即日起至次年2月底。\n二、缴费方式：手机银行、医保公众号或到社区党群服务中心代缴。\n"
             "三、低保户、特困人员等困难群众个人缴费部分由政府资助，请携带证明到社区办理。",
        published_at=_at(today - timedelta(days=9), 9))
    grid_1 = ctx["grids"][("xingfu", 1)]
    notice = Post.objects.create(
        organization=community, kind=PostKind.NOTICE, status=PostStatus.PUBLISHED, created_by=staff,
        title="第一网格计划停水通知",
        body=f"因供水管网维修，{(today + timedelta(days=3)):%m月%d日} 8:00至17:00第一网格各楼栋停水，请居民提前储水。"
             "如有特殊困难（独居老人、行动不便等），请联系网格员，社区将安排送水。",
        to_public=False, to_residents=True, to_members=True, needs_ack=True, published_at=_at(today, 8))
    notice.grids.set([grid_1])
    Post.objects.create(
        organization=community, kind=PostKind.NOTICE, status=PostStatus.PUBLISHED, created_by=staff,
        title="老年人流感疫苗免费接种通知",
        body="65岁以上老年人可携带身份证到社区卫生服务站免费接种流感疫苗，时间为每周二、四上午。",
        published_at=_at(today - timedelta(days=20), 9))
    services._notify_notice(notice.pk)


def build(ctx) -> None:
    community = ctx["xingfu"]
    staff, secretary = ctx["users"]["shegong"], ctx["users"]["shuji"]
    _board(ctx, community, staff, secretary)
    _news(ctx, community, staff)
