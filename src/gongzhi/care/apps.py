from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "gongzhi.care"
    label = "care"
    verbose_name = _("Care and pairing")
    url_prefix = "care/"

    def ready(self):
        from gongzhi.core.personal import Category, register

        # The kind of need (vulnerability status) is encrypted like its details; its keyed blind index carries
        # the tag's uniqueness, the registry's filter and the counts by kind (docs/security.md).
        register("care.caretag", "kind", mask="text", category=Category.SENSITIVE)
        register("care.caretag", "note", mask="text", category=Category.SENSITIVE)
        register("care.visit", "note", mask="text", category=Category.SENSITIVE)
        register("care.visit", "need", mask="text", category=Category.SENSITIVE)

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_use_care

        return [NavItem(_("Care visits"), "care:index", "heart", can_use_care, order=45)]
