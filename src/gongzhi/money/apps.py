from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "gongzhi.money"
    label = "money"
    verbose_name = _("Dues and funds")
    url_prefix = "money/"
    # One app, two API routers: /api/dues/ and /api/funds/ (see api.py).
    api_prefix = "/"

    def ready(self):
        from . import disclosure, personal  # noqa: F401 - registers the catalogue's drafter and personal fields

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_use_money, has_own_dues

        return [
            NavItem(_("Dues and funds"), "money:index", "cash-coin", can_use_money, order=49),
            NavItem(_("My dues"), "money:mine", "wallet2", lambda user: has_own_dues(user) and not can_use_money(user),
                    order=49),
        ]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink
        from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL

        from .permissions import can_read_dues, can_read_funds

        return [
            OrgLink(_("Dues sheet"), "money:sheet", "cash-coin", can_read_dues,
                    kinds=tuple(BRANCH_LEVEL | COMMUNITY_LEVEL)),
            OrgLink(_("Activity funds"), "money:funds", "piggy-bank", can_read_funds, kinds=tuple(COMMUNITY_LEVEL)),
        ]
