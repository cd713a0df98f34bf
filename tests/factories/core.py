"""Factories for accounts, organizations, places and members."""

from __future__ import annotations

import itertools
from datetime import date

import factory
from stdnum.cn import ric

from gongzhi.accounts.models import Role, RoleKind, User
from gongzhi.members.models import Member, MemberCategory, MemberStatus, Resident, Sex
from gongzhi.orgs.models import (
    Building,
    CoBuildingAgreement,
    CoBuildingUnit,
    Grid,
    Household,
    Organization,
    OrgKind,
    UnitKind,
)

PASSWORD = "Test-password-2026"
_sequence = itertools.count(1)


def valid_id_number(birth: date = date(1985, 3, 12), sex: str = "male", area: str = "410102",
                    serial: int | None = None) -> str:
    """A valid 18-character ID number (check character by stdnum) for the given birth date and sex."""
    serial = next(_sequence) % 500 if serial is None else serial
    sequence = serial * 2 + (1 if sex == "male" else 0)
    body = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    name = factory.Sequence(lambda n: f"测试组织{n}")
    kind = OrgKind.BRANCH
    parent = None


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = RoleKind.COMMUNITY_STAFF
    starts_on = date(2020, 1, 1)


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    community = factory.SubFactory(OrganizationFactory, kind=OrgKind.COMMUNITY)
    code = factory.Sequence(lambda n: f"G{n:05d}")
    name = factory.Sequence(lambda n: f"第{n}网格")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    grid = factory.SubFactory(GridFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"{n:04d}")
    resident_count = 3


class CoBuildingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoBuildingUnit

    name = factory.Sequence(lambda n: f"共建单位{n}")
    kind = UnitKind.AGENCY
    organization = factory.SubFactory(OrganizationFactory, kind=OrgKind.UNIT)


class CoBuildingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoBuildingAgreement

    unit = factory.SubFactory(CoBuildingUnitFactory)
    community = factory.SubFactory(OrganizationFactory, kind=OrgKind.COMMUNITY)
    unit_contributes = "志愿者"
    community_contributes = "场地"
    starts_on = date(2024, 1, 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Faker("name", locale="zh_CN")
    sex = Sex.MALE
    birth_date = date(1985, 3, 12)
    id_number = factory.LazyAttribute(lambda m: valid_id_number(m.birth_date, m.sex))
    joined_on = date(2010, 7, 1)
    full_member_on = date(2011, 7, 1)
    status = MemberStatus.FULL
    category = MemberCategory.RETIRED
    mobile = "13812345678"
    address = "幸福社区1号楼1单元101室"
    home_org = factory.SubFactory(OrganizationFactory)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    name = factory.Faker("name", locale="zh_CN")
    sex = Sex.FEMALE
    birth_year = 1960
    phone = "13987654321"
    community = factory.SubFactory(OrganizationFactory, kind=OrgKind.COMMUNITY)
