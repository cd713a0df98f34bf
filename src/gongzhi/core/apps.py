from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = _("Core")

    @property
    def nav_items(self):
        from .navigation import NavItem
        from .permissions import can_manage_workdays

        return [NavItem(_("Holidays"), "core:holidays", "calendar-x", can_manage_workdays, order=90)]

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers system checks)
            partitions,
            rows,
        )

        rows.install_choice_labels()  # get_FOO_display() without rebuilding the choices at each row
        partitions.register("core_auditevent", "created_at", detachable=True)
