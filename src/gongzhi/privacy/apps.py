from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "gongzhi.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
    url_prefix = "privacy/"

    def ready(self):
        from gongzhi.core import personal

        # The proposed value of a correction is the person's new phone, address or ID number.
        personal.register("privacy.datarequest", "proposed_value", mask="text", category=personal.Category.SENSITIVE)

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_ask, can_use_queue

        return [
            NavItem(_("Requests about personal data"), "privacy:queue", "shield-check", can_use_queue, order=90),
            NavItem(_("My data requests"), "privacy:mine", "shield-check", can_ask, order=91),
        ]
