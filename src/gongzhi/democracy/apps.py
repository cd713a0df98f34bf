from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "gongzhi.democracy"
    label = "democracy"
    verbose_name = _("Democracy")
    url_prefix = "democracy/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_use_democracy

        return [NavItem(_("Votes and decisions"), "democracy:index", "check2-square", can_use_democracy, order=46)]
