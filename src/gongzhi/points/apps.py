from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "gongzhi.points"
    label = "points"
    verbose_name = _("Points")
    url_prefix = "points/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_read_ledger, can_use_shop

        return [NavItem(_("Points ledger"), "points:ledger", "journal-text", can_read_ledger, order=45),
                NavItem(_("Points shop"), "points:shop", "gift", can_use_shop, order=46)]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink

        from .permissions import can_read_rules

        return [OrgLink(_("Point rules"), "points:rules", "sliders", can_read_rules)]

    def ready(self) -> None:
        from gongzhi.core import partitions

        # The ledger is partitioned by year on PostgreSQL; its partitions are never detached.
        partitions.register("points_pointentry", "occurred_on")
