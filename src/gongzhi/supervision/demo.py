"""Demo supervision for 幸福社区: the committee (吴强, account ``jiandu``) checked the funds and found an
expense without an invoice, ordered a rectification, saw the evidence and closed it on time; it checked the
publicity board and found it in order. A resident's anonymous report naming the community secretary has
reached the committee (and not the secretary); its receipt is ``DEMO-RECEIPT-2026`` (demo only).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta

from django.utils import timezone

from gongzhi.accounts.models import RoleKind
from gongzhi.core.workdays import add_working_days
from gongzhi.publicity.demo import demo_picture

from . import services
from .models import (
    Area,
    ComplaintEvent,
    ComplaintEventKind,
    ComplaintKind,
    ComplaintStatus,
    Conclusion,
    Evidence,
    Rectification,
    RectificationEvent,
    RectificationEventKind,
    RectificationStatus,
    SupervisionItem,
)

DEMO_RECEIPT = "DEMO-RECEIPT-2026"


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _funds_check(ctx, community, committee, staff) -> None:
    today = ctx.today
    checked = today - timedelta(days=60)
    item = SupervisionItem.objects.create(
        organization=community, area=Area.FINANCE, conclusion=Conclusion.ISSUES, checked_on=checked,
        recorded_by=committee,
        title=f"{checked.year}年党费收缴和党组织服务群众经费使用情况检查",
        finding="党费按月足额收缴并按时上缴街道党工委，账目清楚。党组织服务群众经费支出均经集体研究，"
                "但“饺子宴”敬老活动采购食材一笔支出（1280元）只有收据、缺少正规发票，不符合经费报销规定。")
    rectification = Rectification.objects.create(
        item=item, organization=community, owner=staff, opened_by=committee, opened_on=checked,
        deadline=checked + timedelta(days=15), status=RectificationStatus.CLOSED,
        requirement="补齐该笔支出的正规发票；建立经费支出凭证审核登记制度，每笔支出由经办人、审核人签字。",
        reported_on=checked + timedelta(days=10), closed_on=checked + timedelta(days=12), closed_by=committee)
    events = RectificationEvent.objects.bulk_create([
        RectificationEvent(rectification=rectification, kind=RectificationEventKind.OPENED, actor=committee,
                           note=rectification.requirement, created_at=_at(checked, 15)),
        RectificationEvent(rectification=rectification, kind=RectificationEventKind.PROGRESS, actor=staff,
                           note="已联系供货商补开发票，预计一周内取得。",
                           created_at=_at(checked + timedelta(days=4), 10)),
        RectificationEvent(rectification=rectification, kind=RectificationEventKind.REPORTED, actor=staff,
                           note="已取得正规发票并入账；《经费支出凭证审核登记制度》已经社区党委会议通过并执行。",
                           created_at=_at(checked + timedelta(days=10), 16)),
        RectificationEvent(rectification=rectification, kind=RectificationEventKind.CLOSED, actor=committee,
                           note="核对发票原件和登记簿，整改到位。", created_at=_at(checked + timedelta(days=12), 9)),
    ])
    evidence = Evidence(rectification=rectification, event=events[2], name="发票照片.png", content_type="image/png",
                        size=0, sha256="")
    content = demo_picture(7, "invoice")
    evidence.size = content.size
    evidence.file.save("evidence", content, save=False)
    evidence.sha256 = hashlib.sha256(content.open().read()).hexdigest()
    evidence.save()


def _board_check(ctx, community, committee) -> None:
    checked = ctx.today - timedelta(days=20)
    SupervisionItem.objects.create(
        organization=community, area=Area.PUBLICITY, conclusion=Conclusion.IN_ORDER, checked_on=checked,
        recorded_by=committee, title="党务、居务、财务公开栏公开情况检查",
        finding="对照公开目录逐项核对：党费和经费、组织生活、居务通报均按季度按时公开；"
                "一期经费公开分项金额有误，社区已撤回并公开更正版本，撤回原因和记录完整。")


def _anonymous_report(ctx, community, committee, secretary) -> None:
    complaint, _receipt = services.submit_complaint(
        community=community, organization=community, subject_user=secretary,
        subject_role=RoleKind.COMMUNITY_SECRETARY, kind=ComplaintKind.REPORT, anonymous=True,
        text="反映社区今年采购中秋慰问品时，没有比价，直接从一家熟人开的超市购买，价格比市场价高，"
             "希望监督委员会核实采购过程和价格。")
    received = ctx.today - timedelta(days=4)
    type(complaint).objects.filter(pk=complaint.pk).update(
        receipt_digest=services.digest_of(DEMO_RECEIPT), received_on=received, status=ComplaintStatus.HANDLING,
        answer_due=add_working_days(received, services.ANSWER_WORKING_DAYS))
    ComplaintEvent.objects.bulk_create([
        ComplaintEvent(complaint=complaint, kind=ComplaintEventKind.ACCEPTED, actor=committee,
                       created_at=_at(received + timedelta(days=1), 9)),
        ComplaintEvent(complaint=complaint, kind=ComplaintEventKind.REPLY, actor=committee,
                       note="监督委员会已受理，正在调取采购记录并向供货商和市场了解价格，将在答复期限内反馈结果。",
                       created_at=_at(received + timedelta(days=1), 10)),
    ])


def build(ctx) -> None:
    community = ctx["xingfu"]
    users = ctx["users"]
    committee, staff, secretary = users["jiandu"], users["shegong"], users["shuji"]
    _funds_check(ctx, community, committee, staff)
    _board_check(ctx, community, committee)
    _anonymous_report(ctx, community, committee, secretary)
