from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongzhi.reports"
    label = "reports"
    verbose_name = _("Reports")
    url_prefix = "reports/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_use_reports

        return [NavItem(_("Reports"), "reports:index", "file-earmark-text", can_use_reports, order=70)]
