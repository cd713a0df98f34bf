from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "gongzhi.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment")
    url_prefix = "recruitment/"

    def ready(self):
        from gongzhi.core import personal

        personal.register("recruitment.candidate", "id_number", mask="id", category=personal.Category.SENSITIVE)
        personal.register("recruitment.candidate", "phone", mask="phone")

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_use_recruitment

        return [NavItem(_("Recruitment"), "recruitment:index", "person-plus", can_use_recruitment, order=45)]
