from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "gongzhi.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    url_prefix = "supervision/"
    # A link on each community's public page (collected by the publicity module).
    public_links = [(_("Complain or report to the supervision committee"), "supervision:complain", "shield-check")]

    def ready(self):
        from gongzhi.core.personal import register

        register("supervision.complaint", "contact_phone", mask="phone")
        register("supervision.complaint", "contact_name", mask="text")
        register("supervision.complaint", "text", mask="text")

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_handle_complaints, can_read_audit_log, can_use_supervision

        return [
            NavItem(_("Supervision"), "supervision:index", "shield-check",
                    lambda user: can_use_supervision(user) or can_handle_complaints(user), order=49),
            NavItem(_("Audit log"), "supervision:audit", "journal-text",
                    lambda user: can_read_audit_log(user) and not can_use_supervision(user), order=90),
        ]
