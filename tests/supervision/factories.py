"""Checks, rectifications and complaints for the supervision tests, made through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.accounts.models import RoleKind
from gongzhi.supervision import services
from gongzhi.supervision.models import Area, Complaint, ComplaintKind, Conclusion


def check(world, *, organization=None, committee=None, title="检查第三季度经费使用", conclusion=Conclusion.ISSUES,
          days_ago=3):
    organization = organization or world.community_a
    committee = committee or (world.users["supervisor"] if organization.path.startswith(world.community_a.path)
                              else _foreign_supervisor(world))
    return services.record_item(organization=organization, area=Area.FINANCE, title=title,
                                finding="一笔支出缺少发票。", conclusion=conclusion,
                                checked_on=timezone.localdate() - timedelta(days=days_ago), by=committee)


def rectification(world, *, organization=None, owner=None, days=10, committee=None):
    item = check(world, organization=organization, committee=committee)
    foreign = not item.organization.path.startswith(world.community_a.path)
    owner = owner or (world.users["community_staff"] if not foreign else world.users["foreign_secretary"])
    return services.order_rectification(item=item, owner=owner, requirement="补齐发票，建立登记制度。",
                                        deadline=timezone.localdate() + timedelta(days=days),
                                        by=item.recorded_by)


def _foreign_supervisor(world):
    from datetime import date

    from gongzhi.accounts.models import User
    from tests.factories import RoleFactory, UserFactory

    # Looked up, not kept on the world: the access matrix shares one world between savepoints.
    user = User.objects.filter(username="foreign_supervisor").first()
    if user is None:
        user = UserFactory(username="foreign_supervisor")
        RoleFactory(user=user, organization=world.community_x, kind=RoleKind.SUPERVISOR, starts_on=date(2020, 1, 1))
    return user


def complaint(world, *, community=None, organization=None, subject=None, anonymous=True, submitted_by=None,
              phone="", text="社区采购慰问品没有比价，价格偏高，请核实。", kind=ComplaintKind.REPORT) -> Complaint:
    """A complaint; ``subject`` names a persona (its role kind is taken from the world's roles)."""
    community = community or world.community_a
    organization = organization or community
    subject_user = world.users[subject] if subject else None
    role = subject_user.roles.first().kind if subject_user else ""
    made, _receipt = services.submit_complaint(
        community=community, organization=organization, subject_user=subject_user, subject_role=role, kind=kind,
        text=text, anonymous=anonymous, submitted_by=submitted_by, contact_phone=phone,
        contact_name="投诉人甲" if not anonymous and not submitted_by else "")
    return made


def complaint_with_receipt(world, **kwargs) -> tuple[Complaint, str]:
    community = kwargs.pop("community", None) or world.community_a
    return services.submit_complaint(community=community, organization=community, kind=ComplaintKind.COMPLAINT,
                                     text="网格员多次不回应我的诉求。", anonymous=True, **kwargs)
