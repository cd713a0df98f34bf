"""Demo democracy: in 和平社区's first grid branch a probationary member converted by a quorate general meeting and
approved by the community (heping), a second one due for the vote; in 幸福社区's first grid branch a secret ballot
open for 赵磊 (dangyuan); in 东风村 a
village secretary (cunshuji) and the road repair taken through 四议两公开 to results published on the village's
public board (approved by the street); a term for every committee, 光明社区's ending next spring."""

from __future__ import annotations

from datetime import date, time, timedelta

from gongzhi.accounts.models import Role, RoleKind, User
from gongzhi.core.fields import lookup
from gongzhi.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from gongzhi.members import services as member_services
from gongzhi.members.demo import make_id_number
from gongzhi.members.models import Member, MemberCategory, MemberStatus, Sex
from gongzhi.publicity import services as publicity

from . import services
from .models import Conversion, ResolutionKind

VILLAGE_SECRETARY = {"username": "cunshuji", "name": "马振华"}


def _probationary(ctx, branch, *, name, ends_on: date, by) -> Member:
    template = Member.objects.filter(home_org=branch).select_related("household").first()
    birth = date(ctx.today.year - 29, 5, 17)
    number = make_id_number(ctx.rng, birth, Sex.FEMALE)
    while Member.objects.filter(lookup(Member, "id_number", number)).exists():
        number = make_id_number(ctx.rng, birth, Sex.FEMALE)
    member = Member(name=name, sex=Sex.FEMALE, id_number=number, birth_date=birth,
                    joined_on=ends_on - timedelta(days=365), status=MemberStatus.PROBATIONARY,
                    probation_ends_on=ends_on, category=MemberCategory.IN_SERVICE,
                    employer="和平社区卫生服务站", mobile=ctx.faker.phone_number(), home_org=branch,
                    community=template.community, grid=template.grid, building=template.building,
                    household=template.household, address=template.address)
    return member_services.register_member(member=member, by=by, note="demo")


def _meeting(branch, *, day: date, topic: str, members, absent=(), leave=(), by,
             kind=MeetingKind.GENERAL) -> Meeting:
    meeting = Meeting.objects.create(organization=branch, kind=kind, topic=topic, date=day,
                                     start_time=time(19, 0), place="社区党群服务中心会议室",
                                     status=MeetingStatus.RECORDED, created_by=by, recorded_by=by)
    rows = []
    for member in members:
        status = (AttendanceStatus.ABSENT if member in absent else AttendanceStatus.LEAVE if member in leave
                  else AttendanceStatus.PRESENT)
        rows.append(Attendance(meeting=meeting, member=member, status=status,
                               leave_reason="外出务工" if status == AttendanceStatus.LEAVE else ""))
    Attendance.objects.bulk_create(rows)
    return meeting


def _conversion(ctx) -> None:
    # In 和平社区 (its secretary: heping), so that 幸福社区 keeps the surveyed community's 161 members.
    today, branch = ctx.today, ctx["branches"][("heping", 1)]
    secretary = community = ctx["users"]["heping"]
    converted = _probationary(ctx, branch, name="林晓雯", ends_on=today - timedelta(days=6), by=secretary)
    _probationary(ctx, branch, name="许佳琪", ends_on=today + timedelta(days=20), by=secretary)
    full = list(Member.objects.current().filter(home_org=branch, status=MemberStatus.FULL).order_by("id"))
    meeting = _meeting(branch, day=today - timedelta(days=4), topic="讨论林晓雯同志预备党员转正",
                       members=[*full, converted], absent=full[-1:], leave=full[-2:-1], by=secretary)
    vote = services.record_show_of_hands(
        meeting=meeting, title="林晓雯同志按期转为中共正式党员", kind=ResolutionKind.CONVERSION, subject=converted,
        proposal="convert", in_favour=len(full) - 3, against=0, abstained=1, by=secretary,
        text="林晓雯同志预备期间表现良好，入党介绍人、党小组意见一致同意按期转正。")
    services.decide_conversion(conversion=Conversion.objects.get(resolution=vote), approve=True,
                               on=today - timedelta(days=2), by=community)


def _open_ballot(ctx) -> None:
    """An open secret ballot in 幸福社区's first grid branch for 赵磊 (dangyuan) to cast on his phone."""
    today, branch, secretary = ctx.today, ctx["xingfu_branch_1"], ctx["users"]["zhibu1"]
    full = list(Member.objects.current().filter(home_org=branch, status=MemberStatus.FULL).order_by("id"))
    voter = Member.objects.filter(user=ctx["users"]["dangyuan"]).first()
    if voter is not None and voter.home_org_id == branch.pk:
        present = [m for m in full if m != voter][:10] + [voter]
        meeting = _meeting(branch, day=today, topic="推选年度优秀共产党员", members=full,
                           absent=[m for m in full if m not in present], by=secretary)
        services.open_secret_ballot(meeting=meeting, title="推荐张建华同志为年度优秀共产党员", by=secretary,
                                    text="经党小组推荐、支委会研究，提请党员大会无记名投票表决。")


def _village_secretary(ctx, village) -> User:
    hashed = ctx["users"]["jiedao"].password  # the same demo password, hashed once by the accounts demo
    user = User.objects.create(username=VILLAGE_SECRETARY["username"], first_name=VILLAGE_SECRETARY["name"],
                               password=hashed)
    Role.objects.create(user=user, organization=village, kind=RoleKind.COMMUNITY_SECRETARY,
                        starts_on=date(ctx.today.year - 3, 1, 1))
    ctx["users"][VILLAGE_SECRETARY["username"]] = user
    return user


def _road_repair(ctx) -> None:
    today, village = ctx.today, ctx["dongfeng"]
    by, street = _village_secretary(ctx, village), ctx["users"]["jiedao"]
    entitled = list(services.entitled_members(village, today - timedelta(days=48)).order_by("id"))
    # The village's party members' meeting, with its roll (every member of the village's branches).
    everyone = list(Member.objects.current().held_in(village).order_by("id"))
    members_meeting = _meeting(village, day=today - timedelta(days=48), topic="村党员大会审议村东主路硬化修缮方案",
                               members=everyone, absent=[m for m in everyone if m not in entitled[:45]], by=by,
                               kind=MeetingKind.MEMBERS)
    matter = services.open_matter(
        organization=village, title="东风村村东主路硬化修缮",
        description="村东主路约1.2公里路面破损严重，雨天积水，群众反映强烈。拟使用村集体资金和上级补助共38万元，"
                    "对路面进行硬化修缮并加装路灯20盏。", by=by)
    steps = [
        (1, 62, "村党总支委员会研究，提出村东主路硬化修缮的初步方案，预算38万元。", {}),
        (2, 55, "村党总支委员会和村民委员会联席会议讨论，完善方案：资金来源为村集体资金18万元、镇级补助20万元。", {}),
        (3, 48, "村党员大会审议修缮方案，与会党员举手表决通过。",
         {"meeting": members_meeting, "in_favour": 43, "against": 1, "abstained": 1}),
        (4, 41, "村民代表会议讨论决定，同意按方案实施，施工单位通过公开比选确定。",
         {"body": "representatives", "attendees": 38, "in_favour": 35, "against": 2, "abstained": 1}),
        (5, 39, "决议在村务公开栏和网上公开栏公开，公开期7天，期间未收到异议。", {}),
    ]
    for number, days_ago, minutes, extra in steps:
        step = services.record_step(matter=matter, number=number, held_on=today - timedelta(days=days_ago),
                                    minutes=minutes, by=by, **extra)
        if step.publicity_item is not None:
            publicity.approve_item(item=step.publicity_item, by=street, publish_now=True)
    results = services.record_step(
        matter=matter, number=6, held_on=today - timedelta(days=3), by=by,
        minutes="村东主路硬化修缮已完工并通过验收，实际支出36.8万元（村集体资金16.8万元、镇级补助20万元），"
                "新装路灯20盏，结余资金1.2万元留作道路养护。")
    publicity.approve_item(item=results.publicity_item, by=street, publish_now=True)


def _terms(ctx) -> None:
    """A term for every community, village and branch: 光明社区's five-year term ends next spring (the street sees its
    election due); the branches' three-year terms started in turn over the past three years."""
    from gongzhi.orgs.models import Organization, OrgKind

    today, street = ctx.today, ctx["users"]["jiedao"]
    spring = date(today.year + (1 if today.month > 4 else 0), 4, 15)
    starts = {"xingfu": date(today.year - 2, 5, 20), "heping": date(today.year - 3, 6, 18),
              "guangming": spring.replace(year=spring.year - 5), "dongfeng": date(today.year - 1, 10, 28)}
    for key, community in ctx["communities"].items():
        services.record_term(organization=community, starts_on=starts[key], by=street)
        branches = Organization.objects.filter(parent=community, kind=OrgKind.BRANCH).order_by("path")
        for number, branch in enumerate(branches):
            services.record_term(organization=branch, starts_on=today - timedelta(days=200 + 330 * (number % 3)),
                                 by=street)


def _election_in_preparation(ctx) -> None:
    """光明社区's term ends next spring: the street prepared the election of its committee (5 seats, 6 candidates,
    two monitors) and the list awaits the street's approval (jiedao's to-do)."""
    street, community = ctx["users"]["jiedao"], ctx["communities"]["guangming"]
    full = list(services.entitled_members(community, ctx.today).order_by("id")[:8])
    election = services.open_election(organization=community, seats=5, by=street)
    for member in full[:6]:
        services.add_candidate(election=election, member=member, by=street)
    services.add_monitor(election=election, member=full[6], duty="scrutineer", by=street)
    services.add_monitor(election=election, member=full[7], duty="teller", by=street)
    services.submit_candidates(election=election, by=street)


def _finished_election(ctx) -> None:
    """和平社区's second grid branch elected its committee today (3 seats, 4 candidates approved by the community,
    the members present voting on their phones); the community installed it: a new three-year term, the secretary
    and deputy roles granted, the results on 和平社区's board (approved by the street)."""
    from gongzhi.accounts import services as accounts

    today, branch = ctx.today, ctx["branches"][("heping", 2)]
    community, street = ctx["users"]["heping"], ctx["users"]["jiedao"]
    full = list(services.entitled_members(branch, today).order_by("id"))
    absent = full[-2:]
    for member in full:
        if member.user_id is None and member not in absent:
            member.user = accounts.create_account(home_organization=branch, member=member, by=community)
    election = services.open_election(organization=branch, seats=3, by=community)
    for member in full[:4]:
        services.add_candidate(election=election, member=member, by=community)
    services.add_monitor(election=election, member=full[4], duty="scrutineer", by=community)
    services.add_monitor(election=election, member=full[5], duty="teller", by=community)
    services.submit_candidates(election=election, by=community)
    services.review_candidates(election=election, approve=True, by=community)
    meeting = _meeting(branch, day=today, topic="支部换届选举党员大会", members=full, absent=absent, by=community)
    round_ = services.open_round(election=election, meeting=meeting, by=community)
    candidates = list(round_.candidates.order_by("member_id"))
    for i, member in enumerate(m for m in full if m not in absent):
        marks = {candidates[0].pk: "for", candidates[1].pk: "for" if i % 5 else "abstain",
                 candidates[2].pk: "for" if i % 3 else "against",
                 candidates[3].pk: "for" if i % 3 == 0 and i % 2 == 0 else "against"}
        services.cast_election_ballot(round_=round_, user=member.user, marks=marks)
    services.count_election_round(round_=round_, by=community)
    election, _without = services.install_committee(election=election, secretary=candidates[0].member,
                                                    deputy=candidates[1].member, starts_on=today, by=community)
    publicity.approve_item(item=election.publicity_item, by=street, publish_now=True)


def build(ctx) -> None:
    ctx["users"].setdefault("jiedao", User.objects.get(username="jiedao"))
    _terms(ctx)
    _conversion(ctx)
    _open_ballot(ctx)
    _road_repair(ctx)
    _election_in_preparation(ctx)
    _finished_election(ctx)


