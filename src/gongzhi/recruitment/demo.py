"""Demo recruitment in 幸福社区's first grid branch (its secretary: zhibu1; the community secretary shuji records the
upper committee's steps): an applicant whose talk is overdue, two activists in cultivation (one with an assessment
overdue), and a development candidate whose public notice is running. All through the services, dated relative to
today; nobody is admitted, so the community keeps the surveyed 161 members."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gongzhi.core.workdays import add_working_days
from gongzhi.members.demo import make_id_number
from gongzhi.members.models import Member, MemberCategory, MemberStatus, Sex

from . import services
from .models import UPPER_STEPS, Candidate

PEOPLE = [
    # name, sex, age, education, category, workplace
    ("周晓燕", Sex.FEMALE, 27, "bachelor", MemberCategory.IN_SERVICE, "幸福社区卫生服务站"),
    ("韩志强", Sex.MALE, 34, "college", MemberCategory.IN_SERVICE, "红星物业服务有限公司"),
    ("郑雅琴", Sex.FEMALE, 29, "bachelor", MemberCategory.IN_SERVICE, "第一实验小学"),
    ("高俊峰", Sex.MALE, 31, "postgraduate", MemberCategory.IN_SERVICE, "区税务局"),
]


def _applicant(ctx, branch, row, *, applied_on: date, by) -> Candidate:
    name, sex, age, education, category, workplace = row
    birth = date(ctx.today.year - age, 3 + len(name), 11)
    number = make_id_number(ctx.rng, birth, sex)
    while Member.objects.filter(id_number=number).exists() or Candidate.objects.filter(id_number=number).exists():
        number = make_id_number(ctx.rng, birth, sex)
    return services.register_applicant(branch=branch, name=name, id_number=number, applied_on=applied_on,
                                       category=category, education=education, workplace=workplace,
                                       phone=ctx.faker.phone_number(), by=by,
                                       notes="本人向党组织递交入党申请书，表达入党意愿。")


def _steps(candidate, plan, *, secretary, upper, contacts) -> None:
    for number, day, notes in plan:
        by = upper if number in UPPER_STEPS else secretary
        extra = {}
        if number in (5, 9):
            extra = {"first_member": contacts[0], "second_member": contacts[1]}
        if number == 12:
            extra = {"notice_starts_on": day, "notice_ends_on": add_working_days(
                day - timedelta(days=1), services.NOTICE_WORKING_DAYS)}
        services.record_step(candidate=candidate, number=number, on=day, notes=notes, by=by, **extra)


def build(ctx) -> None:
    today = min(ctx.today, timezone.localdate())
    branch, users = ctx["xingfu_branch_1"], ctx["users"]
    secretary, upper = users["zhibu1"], users["shuji"]
    contacts = list(Member.objects.current().filter(home_org=branch, status=MemberStatus.FULL)
                    .exclude(user__isnull=False).order_by("id")[:2])
    if len(contacts) < 2:
        return
    days = lambda n: today - timedelta(days=n)  # noqa: E731 - a day so many days ago

    # An applicant who applied five weeks ago: the talk (within a month) is overdue.
    _applicant(ctx, branch, PEOPLE[0], applied_on=days(36), by=secretary)

    # Two activists in cultivation for eight months; the second one's quarterly assessment is overdue.
    for row, assessed in ((PEOPLE[1], (150, 60)), (PEOPLE[2], (200,))):
        activist = _applicant(ctx, branch, row, applied_on=days(420), by=secretary)
        _steps(activist, [(2, days(400), "支部书记与其谈话，了解入党动机。"),
                          (3, days(240), "经党员推荐、支委会研究，确定为入党积极分子。"),
                          (4, days(230), "报社区党委备案。"),
                          (5, days(225), "指定两名正式党员为培养联系人。")],
               secretary=secretary, upper=upper, contacts=contacts)
        for n in assessed:
            services.add_assessment(candidate=activist, on=days(n), text="按季度考察：积极参加社区志愿服务，学习认真。",
                                    by=secretary)

    # A development candidate whose public notice began two days ago.
    candidate = _applicant(ctx, branch, PEOPLE[3], applied_on=days(860), by=secretary)
    _steps(candidate, [(2, days(845), "支部书记与其谈话。"), (3, days(820), "确定为入党积极分子。"),
                       (4, days(812), "报社区党委备案。"), (5, days(810), "指定培养联系人。")],
           secretary=secretary, upper=upper, contacts=contacts)
    for n in (730, 640, 550, 460):
        services.add_assessment(candidate=candidate, on=days(n), text="季度考察合格。", by=secretary)
    _steps(candidate, [(6, days(450), "培养教育考察一年以上，考察合格。"),
                       (7, days(440), "听取党小组、培养联系人和党员群众意见，支委会确定为发展对象。"),
                       (8, days(430), "报社区党委备案。"), (9, days(420), "确定两名正式党员为入党介绍人。"),
                       (10, days(200), "政治审查合格。"), (11, days(60), "参加街道党校发展对象培训班，结业。"),
                       (12, days(2), "支委会审查合格，在社区党群服务中心公示。")],
           secretary=secretary, upper=upper, contacts=contacts)
