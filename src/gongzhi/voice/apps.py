from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "gongzhi.voice"
    label = "voice"
    verbose_name = _("Resident requests")
    url_prefix = "voice/"

    def ready(self):
        from gongzhi.core.personal import register
        from gongzhi.core.signals import workdays_completed

        from .services import recount_provisional_deadlines

        workdays_completed.connect(recount_provisional_deadlines, dispatch_uid="voice.recount_deadlines")

        register("voice.request", "contact_phone", mask="phone")
        register("voice.request", "address", mask="address")
        register("voice.request", "text", mask="text")

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_see_queue, can_submit_as_resident, can_use_consultations, can_use_wishes

        return [
            NavItem(_("Requests"), "voice:queue", "megaphone", can_see_queue, order=40),
            NavItem(_("Request figures"), "voice:figures", "bar-chart", can_see_queue, order=42, group="stats"),
            NavItem(_("Small wishes"), "voice:wishes", "gift", can_use_wishes, order=43),
            NavItem(_("Consultations"), "voice:consultations", "people-fill", can_use_consultations, order=44),
            NavItem(_("Submit a request"), "voice:resident_new", "chat-left-text", can_submit_as_resident, order=41),
        ]
