"""What the demo needs so that every role's home page has something to do today and the dashboards have
something to compare: posts with duties (设岗定责), a transfer awaiting the receiving branch, a manual
award awaiting a second person's approval, and minutes waiting for the branch secretary's confirmation.
Everything goes through the apps' services, as a secretary would do it."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

POSTS = [("政策宣传岗", "每月向楼栋居民宣讲一次政策"), ("环境监督岗", "每周巡查楼道和绿地卫生"),
         ("邻里调解岗", "调解楼栋内的邻里纠纷"), ("关爱帮扶岗", "每月探访一次独居老人")]


def build(ctx) -> None:
    from gongzhi.meetings import services as meetings
    from gongzhi.meetings.models import MeetingKind
    from gongzhi.members.models import Member, Post
    from gongzhi.members.transfers import request_transfer
    from gongzhi.points import awards

    users = ctx["users"]
    branch_1, branch_2 = ctx["branches"][("xingfu", 1)], ctx["branches"][("xingfu", 2)]
    members = list(Member.objects.filter(home_org=branch_1).order_by("id")[:len(POSTS) + 2])
    Post.objects.bulk_create([Post(organization=branch_1, member=member, title=title, duties=duties,
                                   starts_on=ctx.today - timedelta(days=90), created_by=users["zhibu1"])
                              for member, (title, duties) in zip(members, POSTS, strict=False)])
    # A member of the second branch moved into the first branch's grid: the first branch receives him.
    mover = Member.objects.filter(home_org=branch_2).order_by("-id").first()
    request_transfer(member=mover, to_org=branch_1, reason="搬家到第一网格", by=users["zhibu2"])
    # The staff member proposes an award for snow clearing; the secretary approves (a second person).
    awards.propose(member=members[-1], organization=ctx["xingfu"], points=Decimal("5"), reason="带头清扫积雪",
                   by=users["shegong"])
    # Yesterday's general meeting is recorded; its minutes wait for the branch secretary.
    meeting = meetings.plan_meeting(organization=branch_1, kind=MeetingKind.GENERAL, topic="研究年底走访慰问安排",
                                    date=ctx.today - timedelta(days=1), start_time=time(19, 0), place="党群服务站",
                                    by=users["zhibu1"])
    meetings.record_minutes(meeting=meeting, minutes="确定走访名单和分工。", resolutions="12月中旬前完成走访。",
                            by=users["zhibu1"])
