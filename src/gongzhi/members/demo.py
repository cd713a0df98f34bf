"""Demo party members for every community of the demo street.

The surveyed community 幸福社区 holds 161 members (≈5.5% of its 2,900 residents):
most are retirees, many in its retirees' branch; the others are spread over the grid branches.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from stdnum.cn import ric

from gongzhi.core.pinyin import initials
from gongzhi.orgs.models import Household

from .models import Education, Member, MemberCategory, MemberStatus, PoliticalStatus, Relation, Resident, Sex

AREA_CODES = ["110101", "110102", "110105", "310101"]  # valid for every birth year since 1930
MEMBERS_PER_COMMUNITY = {"xingfu": 161, "heping": 112, "guangming": 78, "dongfeng": 64}
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族"]
#: "away": an in-service member working elsewhere, mostly a mobile member with a destination, now and
#: then one the branch has lost contact with.
AWAY = "away"
CATEGORY_MIX = [MemberCategory.RETIRED] * 11 + [MemberCategory.IN_SERVICE] * 6 + [
    AWAY, MemberCategory.STUDENT, MemberCategory.UNEMPLOYED]
DESTINATIONS = ["广东省深圳市", "浙江省杭州市", "江苏省苏州市", "上海市浦东新区", "福建省厦门市"]
#: Of the demo's 8,000 people many share a name: each name's initials are worked out once.
name_initials = lru_cache(maxsize=None)(initials)


def make_id_number(rng, birth: date, sex: str) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == Sex.MALE else 0)
    body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{sequence:03d}"
    # calc_check_digit takes the number with a check character in place and ignores it.
    return body + ric.calc_check_digit(body + "0")


def demo_member(ctx, *, branch, community, household, category, used_ids) -> Member:
    rng, faker = ctx.rng, ctx.faker
    away, category = category == AWAY, MemberCategory.IN_SERVICE if category == AWAY else category
    sex = Sex.MALE if rng.random() < 0.55 else Sex.FEMALE
    age = {MemberCategory.RETIRED: (58, 88), MemberCategory.STUDENT: (19, 24)}.get(category, (24, 57))
    age = rng.randint(*age)
    birth = date(ctx.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    number = make_id_number(rng, birth, sex)
    while number in used_ids:
        number = make_id_number(rng, birth, sex)
    used_ids.add(number)
    joined = date(birth.year + rng.randint(18, max(18, min(age - 1, 45))), rng.randint(1, 12), 1)
    status, full_on, probation_end = MemberStatus.FULL, joined + timedelta(days=365), None
    if category != MemberCategory.RETIRED and rng.random() < 0.05:
        # Joined within the year: probationary, some due to become full in the next 60 days.
        joined = ctx.today - timedelta(days=rng.randint(200, 360))
        status, full_on, probation_end = MemberStatus.PROBATIONARY, None, joined + timedelta(days=365)
    building = household.building
    place = community.name.removesuffix("党委").removesuffix("党总支")
    name = faker.name_male() if sex == Sex.MALE else faker.name_female()
    # Who is away is derived from the ID number, so the shared random sequence stays as it was.
    lost = away and int(number[14:17]) % 5 == 0
    return Member(
        is_mobile_member=away and not lost,
        mobile_destination=DESTINATIONS[int(number[14:17]) % len(DESTINATIONS)] if away and not lost else "",
        standing="lost_contact" if lost else "normal",
        lost_contact_since=max(joined, ctx.today - timedelta(days=200 + int(number[14:17]))) if lost else None,
        name=name, name_initials=name_initials(name),
        sex=sex, ethnicity=rng.choice(ETHNICITIES), id_number=number, birth_date=birth,
        education=rng.choice(list(Education.values)), joined_on=joined, full_member_on=full_on,
        status=status, probation_ends_on=probation_end, category=category,
        employer="" if category == MemberCategory.RETIRED else faker.company(),
        mobile=faker.phone_number(),
        address=f"{place}{building.name}{household.entrance}单元{household.number}室",
        home_org=branch, community=community, grid=building.grid, building=building, household=household,
    )


def _residents(ctx, community, households) -> list[Resident]:
    """One Resident per person counted in each household (the head first)."""
    rng, faker = ctx.rng, ctx.faker
    people = []
    for household in households:
        family = faker.last_name()
        for position in range(household.resident_count):
            sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
            relation = Relation.HEAD if position == 0 else rng.choice(
                [Relation.SPOUSE, Relation.CHILD, Relation.CHILD, Relation.PARENT, Relation.GRANDCHILD])
            young = relation in (Relation.CHILD, Relation.GRANDCHILD)
            birth_year = ctx.today.year - (rng.randint(2, 40) if young else rng.randint(25, 90))
            given = faker.first_name_male() if sex == Sex.MALE else faker.first_name_female()
            name = (family if relation != Relation.SPOUSE else faker.last_name()) + given
            people.append(Resident(
                community=community, household=household, name=name, name_initials=name_initials(name), sex=sex,
                birth_year=birth_year, phone=faker.phone_number() if not young else "",
                relation=relation,
                political_status=PoliticalStatus.LEAGUE if young and 14 <= ctx.today.year - birth_year <= 28
                and rng.random() < 0.3 else PoliticalStatus.MASSES,
            ))
    return people


def build(ctx) -> None:
    used_ids: set[str] = set()
    for key, community in ctx["communities"].items():
        households = list(
            Household.objects.filter(building__grid__community=community)
            .select_related("building__grid").order_by("id")
        )
        residents = _residents(ctx, community, households)
        grid_branches = {g: b for (k, g), b in ctx["branches"].items() if k == key and g != "retirees"}
        retirees_branch = ctx["branches"].get((key, "retirees"))
        adults = [r for r in residents if ctx.today.year - r.birth_year >= 20]
        members = []
        for resident in ctx.rng.sample(adults, MEMBERS_PER_COMMUNITY[key]):
            category = ctx.rng.choice(CATEGORY_MIX)
            if community.kind == "village":
                category = MemberCategory.RURAL if ctx.rng.random() < 0.8 else category
            household = resident.household
            branch = grid_branches[int(household.building.grid.code[-2:])]
            if category == MemberCategory.RETIRED and retirees_branch and ctx.rng.random() < 0.45:
                branch = retirees_branch
            member = demo_member(ctx, branch=branch, community=community, household=household,
                                 category=category, used_ids=used_ids)
            members.append(member)
            # The resident record of a member carries the same person.
            resident.name, resident.name_initials, resident.sex = member.name, member.name_initials, member.sex
            resident.birth_year, resident.id_number = member.birth_date.year, member.id_number
            resident.phone, resident.political_status = member.mobile, PoliticalStatus.MEMBER
            resident._member = member
        Member.objects.bulk_create(members, batch_size=1000)
        for resident in residents:
            if hasattr(resident, "_member"):
                resident.member = resident._member
        Resident.objects.bulk_create(residents, batch_size=2000)
    # The demo party member's account is linked to an in-service member of grid branch 1.
    me = Member.objects.filter(home_org=ctx["xingfu_branch_1"], category=MemberCategory.IN_SERVICE,
                               is_mobile_member=False, standing="normal").first()
    me.user = ctx["users"]["dangyuan"]
    me.name = ctx["users"]["dangyuan"].display_name
    me.save()
    Resident.objects.filter(member=me).update(name=me.name, name_initials=me.name_initials)
    ctx["demo_member"] = me
    _reported(ctx, used_ids)
    # The demo resident's account is linked to a head of household in grid 1 of the surveyed community.
    resident = Resident.objects.filter(community=ctx["xingfu"], member__isnull=True, relation=Relation.HEAD,
                                       household__building__grid=ctx["grids"][("xingfu", 1)]).first()
    resident.user = ctx["users"]["jumin"]
    resident.name = ctx["users"]["jumin"].display_name
    resident.save()
    ctx["demo_resident"] = resident


REPORTED_MEMBERS = 8
REPORTED_ACCEPTED = 5


def _reported(ctx, used_ids) -> None:
    """In-service members of the tax bureau's branch living in Xingfu have reported to the community:
    most were accepted and serve in a grid branch, a few wait for acceptance."""
    from .models import MembershipEvent, MembershipEventKind, Reporting, ReportingStatus

    unit_org = ctx["units"]["unit_tax"].organization
    community = ctx["xingfu"]
    households = list(Household.objects.filter(building__grid__community=community)
                      .select_related("building__grid").order_by("id"))
    members = [demo_member(ctx, branch=unit_org, community=community, household=ctx.rng.choice(households),
                           category=MemberCategory.IN_SERVICE, used_ids=used_ids)
               for _ in range(REPORTED_MEMBERS)]
    Member.objects.bulk_create(members)
    members = list(Member.objects.filter(pk__in=[m.pk for m in members]).select_related("grid")
                   .order_by("id"))
    skills = ["法律咨询", "财务记账", "政策宣讲", "志愿服务", "文艺表演", "医疗健康"]
    reportings, events = [], []
    for index, member in enumerate(members):
        accepted = index < REPORTED_ACCEPTED
        serving = ctx["branches"].get(("xingfu", int(member.grid.code[-2:]))) if accepted else None
        if serving is None:
            accepted = False
        reportings.append(Reporting(
            member=member, community=community, skills=ctx.rng.choice(skills), services=ctx.rng.choice(skills),
            status=ReportingStatus.ACCEPTED if accepted else ReportingStatus.SUBMITTED,
            serving_org=serving if accepted else None,
            decided_by=ctx["users"]["shegong"] if accepted else None,
        ))
        if accepted:
            member.serving_org = serving
            events.append(MembershipEvent(member=member, kind=MembershipEventKind.RESIDENCE,
                                          to_value=f"{community.name} / {serving.name}",
                                          effective_on=ctx.today, note="双报到已接收"))
    Member.objects.bulk_update(members, ["serving_org"])
    Reporting.objects.bulk_create(reportings)
    MembershipEvent.objects.bulk_create(events)
