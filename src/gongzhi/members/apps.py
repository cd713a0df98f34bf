from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gongzhi.members"
    label = "members"
    verbose_name = _("Members and residents")

    def ready(self) -> None:
        from gongzhi.core import personal

        for model in ("members.member", "members.resident"):
            personal.register(model, "id_number", mask="id", category=personal.Category.SENSITIVE)
        personal.register("members.member", "mobile", mask="phone")
        personal.register("members.member", "address", mask="address")
        personal.register("members.resident", "phone", mask="phone")
