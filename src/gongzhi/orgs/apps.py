from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongzhi.orgs"
    label = "orgs"
    verbose_name = _("Organizations and places")
    url_prefix = "orgs/"

    @property
    def nav_items(self):
        from gongzhi.accounts.permissions import can_browse_orgs
        from gongzhi.core.navigation import NavItem

        return [
            NavItem(_("Home"), "home", "house", lambda user: True, order=0, group="home"),
            NavItem(_("Organizations"), "orgs:tree", "diagram-3", can_browse_orgs, order=10),
        ]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink

        from .permissions import can_manage_here

        return [OrgLink(_("Administer"), "orgs:manage", "gear", can_manage_here)]

    def ready(self) -> None:
        from gongzhi.core import capabilities, personal

        from .models import kind_reach

        capabilities.KIND_REACH.update(kind_reach())

        personal.register("orgs.cobuildingunit", "contact_phone", mask="phone")
        personal.not_personal("orgs.organization", "address")
