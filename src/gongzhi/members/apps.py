from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gongzhi.members"
    label = "members"
    verbose_name = _("Members and residents")
    url_prefix = "members/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import (
            can_list_members,
            can_list_residents,
            can_see_reported,
            can_use_import,
            can_use_transfers,
        )

        return [
            NavItem(_("Party members"), "members:list", "people", can_list_members, order=20),
            NavItem(_("Dual reporting"), "members:reported", "person-check", can_see_reported, order=21),
            NavItem(_("Residents"), "members:residents", "house", can_list_residents, order=25),
            NavItem(_("Transfers"), "members:transfers", "arrow-left-right", can_use_transfers, order=23),
            NavItem(_("Posts and duties"), "members:posts", "person-badge", can_use_transfers, order=24),
            NavItem(_("Import members"), "members:import", "upload", can_use_import, order=22),
        ]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink

        from .permissions import can_see_stats

        return [OrgLink(_("Member statistics"), "members:stats", "bar-chart", can_see_stats)]

    def ready(self) -> None:
        from gongzhi.core import personal
        from gongzhi.orgs import people

        from . import counts

        people.register(people.PeopleCounts(members_held=counts.members_held, subtree=counts.subtree))

        for model in ("members.member", "members.resident"):
            personal.register(model, "id_number", mask="id", category=personal.Category.SENSITIVE)
        personal.register("members.member", "mobile", mask="phone")
        personal.register("members.member", "address", mask="address")
        personal.register("members.resident", "phone", mask="phone")
        # Where a mobile member has gone is a place the person lives: masked like an address.
        personal.register("members.member", "mobile_destination", mask="address")
        personal.not_personal("members.member", "is_mobile_member")
