"""Demo dues and funds for 幸福社区: each member's base for this year and last, monthly dues since January of last
year up to last month (a few members in arrears: two for three to five months, one for more than six), this
month's dues half collected except in grid branch 1 (where the walk-through collects them on a phone), quarterly
hand-overs to the community confirmed by the secretary (the last one of grid branch 2 still waiting); the
community's activity funds of last year and this year by source and purpose, this year's nearly spent as the
survey found (short of funds), with the dumpling banquet's ingredients waiting for the secretary's approval; and
the quarterly dues and funds disclosures on the publicity board since it opened, each drafted from the ledgers
(``disclosure.draft``) and published within the 15 days allowed.

Ledger rows are written in bulk with their past dates (the services stamp "now"); expenditures go through the
services with generated receipt pictures.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.members.models import Member, MemberCategory

from . import rates, services
from .models import Basis, DuesBase, DuesHandover, DuesPayment, Method, Purpose, Source

CENT = Decimal("0.01")
INCOME = {Basis.SALARY: (2600, 9000), Basis.PENSION: (2200, 5600)}


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _receipt(seed: int, label: str) -> SimpleUploadedFile:
    from gongzhi.publicity.demo import demo_picture

    picture = demo_picture(seed, label)
    return SimpleUploadedFile(f"receipt-{seed}.png", picture.read(), content_type="image/png")


def _bases(ctx, members, years) -> dict:
    rows = []
    for member in members:
        basis = rates.DEFAULT_BASIS.get(member.category, Basis.SALARY)
        low, high = INCOME.get(basis, (0, 0))
        amount = Decimal(ctx.rng.randrange(low, high, 50)) if Basis.needs_amount(basis) else None
        for year in years:
            rows.append(DuesBase(member=member, year=year, basis=basis, amount=amount,
                                 declared_by=ctx["users"]["zhibu1"]))
            if amount is not None:
                amount = (amount * Decimal("1.03")).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    DuesBase.objects.bulk_create(rows)
    return {(b.member_id, b.year): b for b in rows}


def _dues(ctx, xingfu) -> None:
    today, rng = ctx.today, ctx.rng
    this_month = rates.first_of_month(today)
    first = date(today.year - 1, 1, 1)
    members = list(Member.objects.held_in(xingfu).current().select_related("home_org").order_by("pk"))
    bases = _bases(ctx, members, sorted({first.year, today.year}))
    schedules = rates.Schedules()
    demo_member = ctx.data.get("demo_member")
    candidates = [m for m in members if demo_member is None or m.pk != demo_member.pk]
    # Who is behind: two for 3–5 months, one for 7 months (the 自行脱党 warning for the branch to handle).
    behind = {m.pk: n for m, n in zip(rng.sample(candidates, 3), (3, 5, 7), strict=True)}
    branch_1 = ctx["xingfu_branch_1"]
    rows, key = [], 0
    for member in members:
        start = max(first, rates.first_of_month(member.joined_on))
        last_paid = rates.add_months(this_month, -(behind.get(member.pk, 0) + 1))
        months = rates.months_between(start, last_paid) if last_paid >= start else []
        if member.home_org_id != branch_1.pk and member.pk not in behind and rng.random() < 0.5:
            months.append(this_month)  # some branches have begun collecting this month
        for month in months:
            assessment = rates.assess(member, month, bases=bases, schedules=schedules)
            due = assessment.due or Decimal("0.20")
            amount = due
            if rng.random() < 0.02:
                amount = due + Decimal(rng.choice((50, 100, 200)))  # a voluntary extra now and then
            paid_on = min(month + timedelta(days=rng.randint(3, 24)), today)
            key += 1
            rows.append(DuesPayment(
                member=member, organization=member.home_org, month=month, amount=amount, due=due,
                voluntary=amount - due, large_voluntary=False,
                method=Method.TRANSFER if rng.random() < 0.35 else Method.CASH, paid_on=paid_on,
                paid_for_by="家属代缴" if member.is_mobile_member else "", key=f"demo:{key}",
                recorded_by=ctx["users"]["zhibu1"] if member.home_org_id == branch_1.pk else ctx["users"]["zhibu2"]))
    # One retiree made a large voluntary payment (自愿多交) last month: flagged for the branch.
    generous = next((r for r in rows if r.month == rates.add_months(this_month, -1)
                     and r.member.category == MemberCategory.RETIRED), None)
    if generous is not None:
        generous.amount = generous.due + Decimal("1000.00")
        generous.voluntary, generous.large_voluntary = Decimal("1000.00"), True
    DuesPayment.objects.bulk_create(rows, batch_size=1000)
    _handovers(ctx, xingfu, rows)


def _handovers(ctx, xingfu, rows) -> None:
    """Each branch hands the quarter's dues over after the quarter; the secretary confirms receipt."""
    from gongzhi.core.periods import Period

    today = ctx.today
    users = ctx["users"]
    handed_by = {ctx["xingfu_branch_1"].pk: users["zhibu1"], ctx["xingfu_branch_2"].pk: users["zhibu2"]}
    quarters = []
    period = Period.containing("quarter", date(today.year - 1, 1, 1))
    while period.end < today:
        quarters.append(period)
        period = Period.containing("quarter", period.end + timedelta(days=1))
    made = []
    for branch_id in sorted({r.organization_id for r in rows}):
        for n, quarter in enumerate(quarters):
            amount = sum((r.amount for r in rows if r.organization_id == branch_id
                          and quarter.start <= r.paid_on <= quarter.end), Decimal(0))
            if not amount:
                continue
            handed_on = quarter.end + timedelta(days=5)
            waiting = n == len(quarters) - 1 and branch_id == ctx["xingfu_branch_2"].pk
            made.append(DuesHandover(
                organization_id=branch_id, receiver=xingfu, amount=amount, handed_on=handed_on,
                handed_by=handed_by.get(branch_id, users["shegong"]),
                confirmed_by=None if waiting else users["shuji"],
                confirmed_at=None if waiting else _at(handed_on + timedelta(days=2))))
    # The community passes what it received on to the street after confirming it.
    street = xingfu.parent
    for quarter in quarters:
        amount = sum((h.amount for h in made if h.confirmed_at is not None
                      and quarter.end < h.handed_on <= quarter.end + timedelta(days=10)), Decimal(0))
        if amount:
            handed_on = quarter.end + timedelta(days=12)
            made.append(DuesHandover(organization=xingfu, receiver=street, amount=amount, handed_on=handed_on,
                                     handed_by=users["shegong"], confirmed_by=users["jiedao"],
                                     confirmed_at=_at(handed_on + timedelta(days=1))))
    DuesHandover.objects.bulk_create(made)


#: The budget lines (source, purpose, amount) of last year and of this year.
BUDGETS = {
    -1: ((Source.ALLOCATION, Purpose.ACTIVITIES, "7000.00"), (Source.DUES_RETURN, Purpose.EDUCATION, "2200.00"),
         (Source.COBUILDING, Purpose.CARE, "3000.00"), (Source.WELFARE_FUND, Purpose.PREMISES, "1500.00")),
    0: ((Source.ALLOCATION, Purpose.ACTIVITIES, "8000.00"), (Source.DUES_RETURN, Purpose.EDUCATION, "2400.00"),
        (Source.COBUILDING, Purpose.CARE, "3000.00"), (Source.WELFARE_FUND, Purpose.PREMISES, "1500.00")),
}


def _funds(ctx, xingfu) -> None:
    """幸福社区's budget is nearly spent, as the survey found: the activities line has little left when the
    dumpling banquet's ingredients are bought. Last year's budget was spent over the whole year."""
    secretary = ctx["users"]["shuji"]
    services.set_approval_above(organization=xingfu, amount=Decimal("500.00"), by=secretary)
    _spend(ctx, xingfu, ctx.today.year - 1)
    _spend(ctx, xingfu, ctx.today.year)


def _spend(ctx, xingfu, year: int) -> None:
    today = ctx.today
    staff, secretary = ctx["users"]["shegong"], ctx["users"]["shuji"]
    lines = {}
    for source, purpose, amount in BUDGETS[year - today.year]:
        lines[purpose] = services.save_budget_line(organization=xingfu, year=year, source=source, purpose=purpose,
                                                   amount=Decimal(amount), by=staff)
    activities = [a for a in ctx.data.get("activities", []) if a.organization_id == xingfu.pk]
    past = [a for a in activities if a.ends_at.date() < today]
    spending = [
        (Purpose.ACTIVITIES, 40, "1280.00", "春节“饺子宴”敬老活动食材", "惠民生鲜超市"),
        (Purpose.ACTIVITIES, 75, "2350.00", "“七一”主题党日活动场地布置和宣传品", "红星广告制作部"),
        (Purpose.ACTIVITIES, 140, "1860.00", "重阳节敬老文艺演出服装租赁", "华艺演出服装店"),
        (Purpose.ACTIVITIES, 200, "430.00", "老旧小区环境整治工具和垃圾袋", "幸福五金店"),
        (Purpose.ACTIVITIES, 260, "980.00", "社区艺术团排练用音响维修", "声达电器维修部"),
        (Purpose.EDUCATION, 60, "420.00", "党课学习资料印刷", "新华文印店"),
        (Purpose.EDUCATION, 180, "1650.00", "“2+X”培训外请讲师交通食宿", "区委党校"),
        (Purpose.CARE, 30, "1200.00", "春节走访慰问困难党员和独居老人", "惠民生鲜超市"),
        (Purpose.CARE, 220, "1500.00", "重阳节慰问高龄老人", "惠民生鲜超市"),
        (Purpose.PREMISES, 100, "1280.00", "党群服务中心桌椅更换", "鑫源家具城"),
    ]
    for n, (purpose, day_of_year, amount, what, payee) in enumerate(spending):
        spent_on = date(year, 1, 1) + timedelta(days=day_of_year)
        if spent_on >= today:
            continue
        served = next((a for a in past if abs((a.starts_at.date() - spent_on).days) <= 10), None)
        expenditure = services.record_expenditure(
            organization=xingfu, line=lines[purpose], spent_on=spent_on, amount=Decimal(amount), purpose=what,
            payee=payee, receipt=_receipt(9000 + n, what), key=f"demo-expenditure-{year}-{n:02d}", activity=served,
            by=staff)
        if expenditure.status == "pending":
            services.decide_expenditure(expenditure=expenditure, approve=True, by=secretary)
    if year != today.year:
        return
    # The dumpling banquet before the next festival: ingredients bought, waiting for the secretary's approval.
    from gongzhi.service.models import Activity

    banquet = (Activity.objects.filter(organization=xingfu, title="敬老饺子宴", starts_at__date__gte=today)
               .order_by("starts_at").first())
    line = lines[Purpose.ACTIVITIES]
    line.refresh_from_db()
    amount = min(Decimal("1050.00"), line.remaining)
    if amount > Decimal("500.00"):
        services.record_expenditure(
            organization=xingfu, line=line, spent_on=today, amount=amount,
            purpose="“饺子宴”敬老活动食材（面粉、肉馅、蔬菜）", payee="惠民生鲜超市",
            receipt=_receipt(9100, "饺子宴食材"), key="demo-expenditure-banquet", activity=banquet, by=staff)


def _disclosures(ctx, xingfu) -> None:
    """Each closed quarter since the board opened: the disclosure drafted from the ledgers as they stand, published
    5 to 12 days after the quarter (items and their history written with their past dates)."""
    from gongzhi.core.periods import Period
    from gongzhi.publicity.demo import _published_item
    from gongzhi.publicity.models import Board, Category, Item, ItemEvent

    from .disclosure import draft, title

    board = Board.objects.filter(organization=xingfu).first()
    if board is None:
        return
    today, rng = ctx.today, ctx.rng
    staff, secretary = ctx["users"]["shegong"], ctx["users"]["shuji"]
    made = []
    period = Period.containing("quarter", board.opened_on)
    while period.end < today:
        published_on = min(period.end + timedelta(days=rng.randint(5, 12)), today)
        item, events = _published_item(
            community=xingfu, author=staff, approver=secretary, category=Category.FINANCE, title=title(period),
            body=draft(xingfu, period), key="finance.dues_funds", period=period, published_on=published_on,
            until=published_on + timedelta(days=120))
        item.source = services.disclosure_source(xingfu, period)
        made.append((item, events))
        period = Period.containing("quarter", period.end + timedelta(days=1))
    Item.objects.bulk_create([item for item, _events in made])
    for item, events in made:
        for event in events:
            event.item = item
    ItemEvent.objects.bulk_create([e for _item, events in made for e in events])


def build(ctx) -> None:
    xingfu = ctx["xingfu"]
    _dues(ctx, xingfu)
    _funds(ctx, xingfu)
    _disclosures(ctx, xingfu)

