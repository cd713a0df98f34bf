from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "gongzhi.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
    url_prefix = "dashboards/"
    api_prefix = "/stats/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import VIEW_DASHBOARD

        return [NavItem(_("Dashboards"), "dashboards:index", "speedometer2", VIEW_DASHBOARD.anywhere, order=1)]

    @property
    def org_links(self):
        from gongzhi.core.capabilities import can
        from gongzhi.core.navigation import OrgLink

        from .permissions import DASHBOARD_KINDS, VIEW_DASHBOARD

        return [OrgLink(_("Dashboard"), "dashboards:organization", "speedometer2",
                        lambda user, org: can(user, VIEW_DASHBOARD, org), kinds=tuple(DASHBOARD_KINDS))]
