"""Demo reports: 幸福社区's secretary (李秀英, ``shuji``) has the year's work summary, drafted from the figures
and edited once (next year's plans written); the community evaluated the tax bureau's reported members for
the year and sent each co-building unit its feedback for the last quarter; the street (``jiedao``) has its
statistical workbook."""

from __future__ import annotations

from gongzhi.core.periods import Period

from . import services


def build(ctx) -> None:
    users = ctx["users"]
    secretary = users["shuji"]
    summary = services.request_summary(organization=ctx["xingfu"], period=Period.year(ctx.today.year),
                                       language="zh-hans", by=secretary)
    services.produce_summary(str(summary.pk))
    summary.refresh_from_db()
    services.save_draft(summary=summary, by=secretary, problems=summary.problems, narrative={
        **summary.narrative,
        "plans": "一是继续推进在职党员“双报到”，把报到党员编入网格服务岗位；二是办好党校“2+X”分类培训；"
                 "三是争取共建单位支持，缓解活动经费紧张的问题。"})
    _feedback(ctx, secretary)
    book = services.request_statistics(organization=ctx["street"], at_date=ctx.today, language="zh-hans",
                                       by=users["jiedao"])
    services.produce_statistics(str(book.pk))


def _feedback(ctx, secretary) -> None:
    from gongzhi.orgs.models import CoBuildingUnit

    from .feedback import reported_members

    community = ctx["xingfu"]
    tax = ctx["units"]["unit_tax"]
    comments = ["带头认领楼道长岗位，服务积极", "参加环境整治，按时到岗", "政策宣讲效果好"]
    for index, member in enumerate(reported_members(tax, community)):
        services.evaluate_member(member=member, community=community, year=ctx.today.year,
                                 grade="excellent" if index == 0 else "good", comment=comments[index % 3],
                                 by=secretary)
    last_quarter = Period.containing("quarter", ctx.today).previous()
    for unit in CoBuildingUnit.objects.filter(agreements__community=community).distinct().order_by("name"):
        services.send_feedback(unit=unit, community=community, period=last_quarter, by=ctx["users"]["shegong"])
