"""Demo requests about personal data: the demo resident (孙丽) asks to correct her phone number (open, in the
staff's queue); the demo party member (赵磊) asked to correct his home address, and the community staff
accepted it (the record corrected, with its history row). One resident of 幸福社区 moved away three years ago,
so `gongzhi retention run --dry-run` finds him due."""

from __future__ import annotations

from datetime import timedelta

from gongzhi.members.models import Resident

from . import services
from .models import RequestKind, Subject


def build(ctx) -> None:
    staff = ctx["users"]["shegong"]
    resident, member = ctx.data.get("demo_resident"), ctx.data.get("demo_member")
    if resident is not None:
        services.ask(person=resident.user, kind=RequestKind.CORRECTION, subject=Subject.RESIDENT, field="phone",
                     proposed_value="13912345678", reason="换了手机号，原号码已停用。")
    if member is not None:
        asked = services.ask(person=member.user, kind=RequestKind.CORRECTION, subject=Subject.MEMBER,
                             field="address", proposed_value="幸福社区3号楼2单元501室",
                             reason="去年搬到了同一小区的3号楼，记录里还是旧地址。")
        services.decide(data_request=asked, accept=True, reason="已与本人电话核实，住址已更正。", by=staff)
    moved = (Resident.objects.filter(community=ctx["xingfu"], member__isnull=True, user__isnull=True)
             .order_by("-pk").first())
    if moved is not None:
        services.record_departure(resident=moved, moved_on=ctx.today - timedelta(days=3 * 365 + 1), by=staff)
