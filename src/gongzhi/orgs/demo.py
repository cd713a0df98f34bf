"""The demo street: one street party working committee, three urban communities and one
village, with branches, building groups, grids, buildings, households and co-building units.

The first community, 幸福社区, mirrors the surveyed one: about 2,900 residents in
six grids, six grid branches and a retirees' branch.
"""

from __future__ import annotations

from datetime import date

from gongzhi.accounts.demo import DEMO_ACCOUNTS
from gongzhi.accounts.models import Role

from .models import (
    BranchCategory,
    Building,
    CoBuildingAgreement,
    CoBuildingUnit,
    Grid,
    Household,
    Organization,
    OrgKind,
    UnitKind,
)

# key, name, kind, grids, buildings per grid, target population
COMMUNITIES = [
    ("xingfu", "幸福社区党委", OrgKind.COMMUNITY, 6, 4, 2900),
    ("heping", "和平社区党委", OrgKind.COMMUNITY, 4, 4, 2100),
    ("guangming", "光明社区党总支", OrgKind.COMMUNITY, 3, 4, 1500),
    ("dongfeng", "东风村党总支", OrgKind.VILLAGE, 3, 3, 1200),
]

UNITS = [
    ("unit_tax", "区税务局", UnitKind.AGENCY, "区税务局机关党支部", "xingfu",
     "派党员志愿者开展税收政策宣传，每年资助社区活动经费", "提供活动场地，反馈党员服务记录"),
    ("unit_school", "第一实验小学", UnitKind.SCHOOL, "第一实验小学党支部", "xingfu",
     "开放操场和图书室，教师志愿者辅导“希望小屋”儿童", "组织学生参加社区实践"),
    ("unit_property", "红星物业服务有限公司", UnitKind.PROPERTY, "红星物业党支部", "xingfu",
     "落实“红色物业”，参加社区联席会议，及时处理物业诉求", "监督物业服务质量，协调业主意见"),
    ("unit_tech", "智联科技有限公司", UnitKind.PRIVATE_ENTERPRISE, "智联科技党支部", "heping",
     "提供智慧社区技术支持", "为企业员工子女提供假期托管"),
    ("unit_social", "阳光社会工作服务中心", UnitKind.SOCIAL_ORG, "阳光社工服务中心党支部", "guangming",
     "派驻社工开展为老服务", "提供办公场地"),
]

GRID_NUMERALS = "一二三四五六七八九十"


def _org(code, name, kind, parent, established, category=""):
    return Organization.objects.create(
        code=code, name=name, kind=kind, parent=parent, established_on=established, category=category,
    )


def _resident_counts(rng, households: int, target: int) -> list[int]:
    """Household sizes that add up exactly to the target population."""
    counts = [rng.choice([1, 2, 2, 2, 3, 3, 3, 4, 5]) for _ in range(households)]
    while sum(counts) != target:
        i = rng.randrange(households)
        if sum(counts) > target and counts[i] > 1:
            counts[i] -= 1
        elif sum(counts) < target and counts[i] < 6:
            counts[i] += 1
    return counts


def build(ctx) -> None:
    rng = ctx.rng
    street = _org("ST01", "幸福街道党工委", OrgKind.STREET, None, date(1998, 7, 1))
    street.address = "幸福街道人民路88号"
    street.save()
    ctx["street"] = street
    communities, branches, groups, grids = {}, {}, {}, {}
    for c_index, (key, name, kind, grid_count, per_grid, population) in enumerate(COMMUNITIES, start=1):
        community = _org(f"ST01-C{c_index:02d}", name, kind, street, date(2003 + c_index, 6, 1))
        communities[key] = community
        ctx[key] = community
        place_name = name.replace("党委", "").replace("党总支", "")
        all_households = []
        for g in range(1, grid_count + 1):
            numeral = GRID_NUMERALS[g - 1]
            label = f"第{numeral}村民小组" if kind == OrgKind.VILLAGE else f"第{numeral}网格"
            branch = _org(f"{community.code}-B{g:02d}", f"{place_name}{label}党支部", OrgKind.BRANCH, community,
                          date(2010, 3, 1), BranchCategory.GRID)
            branches[(key, g)] = branch
            grid = Grid.objects.create(community=community, code=f"{community.code}-G{g:02d}",
                                       name=f"{place_name}{label}", branch=branch)
            grids[(key, g)] = grid
            for b in range(1, per_grid + 1):
                number = (g - 1) * per_grid + b
                group = None
                if kind != OrgKind.VILLAGE:
                    group = _org(f"{branch.code}-P{b:02d}", f"{number}号楼党小组", OrgKind.GROUP, branch,
                                 date(2015, 5, 1), BranchCategory.BUILDING)
                    groups[(key, g, b)] = group
                building = Building.objects.create(
                    grid=grid, name=f"{number}号楼" if kind != OrgKind.VILLAGE else f"{label}{b}片",
                    entrances=2, floors=6, group=group,
                )
                for entrance in (1, 2):
                    for floor in range(1, 7):
                        for door in (1, 2, 3, 4):
                            all_households.append(Household(
                                building=building, entrance=entrance, floor=floor,
                                number=f"{floor}{door:02d}"))
        for household, count in zip(all_households, _resident_counts(rng, len(all_households), population),
                                    strict=True):
            household.resident_count = count
        Household.objects.bulk_create(all_households, batch_size=1000)
        if kind != OrgKind.VILLAGE and key in ("xingfu", "heping"):
            branches[(key, "retirees")] = _org(f"{community.code}-B90", f"{place_name}离退休党支部",
                                               OrgKind.BRANCH, community, date(2008, 10, 1),
                                               BranchCategory.RETIREES)
    ctx["communities"] = communities
    ctx["branches"] = branches
    ctx["groups"] = groups
    ctx["grids"] = grids
    ctx["xingfu_branch_1"] = branches[("xingfu", 1)]
    ctx["xingfu_branch_2"] = branches[("xingfu", 2)]
    ctx["xingfu_group_1"] = groups[("xingfu", 1, 1)]

    units = {}
    for u_index, (key, name, kind, org_name, community_key, gives, gets) in enumerate(UNITS, start=1):
        unit_org = _org(f"ST01-U{u_index:02d}", org_name, OrgKind.UNIT, street, date(2012, 1, 1))
        unit = CoBuildingUnit.objects.create(name=name, kind=kind, organization=unit_org,
                                             contact_name=ctx.faker.name(), contact_phone=ctx.faker.phone_number())
        CoBuildingAgreement.objects.create(unit=unit, community=communities[community_key],
                                           unit_contributes=gives, community_contributes=gets,
                                           starts_on=date(ctx.today.year - 2, 1, 1))
        units[key] = unit
        ctx[key] = unit_org
    ctx["units"] = units

    users = ctx["users"]
    role_start = date(ctx.today.year - 3, 1, 1)
    for account in DEMO_ACCOUNTS:
        org = ctx[account["org"]]
        Role.objects.create(user=users[account["username"]], organization=org, kind=account["kind"],
                            starts_on=role_start)
        users[account["username"]].home_organization = org
        users[account["username"]].save(update_fields=["home_organization"])
    street.secretary = users["jiedao"]
    street.save(update_fields=["secretary"])
    for key, username in (("xingfu", "shuji"), ("heping", "heping")):
        communities[key].secretary = users[username]
        communities[key].save(update_fields=["secretary"])
    for key, username in (("xingfu_branch_1", "zhibu1"), ("xingfu_branch_2", "zhibu2"), ("xingfu_group_1", "zuzhang")):
        ctx[key].secretary = users[username]
        ctx[key].save(update_fields=["secretary"])
    grids[("xingfu", 1)].grid_worker = users["shegong"]
    grids[("xingfu", 1)].save(update_fields=["grid_worker"])
