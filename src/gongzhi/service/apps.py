from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "gongzhi.service"
    label = "service"
    verbose_name = _("Volunteer service")
    url_prefix = "service/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_take_part, can_use_service

        return [NavItem(_("Activities"), "service:upcoming", "heart", can_use_service, order=40),
                NavItem(_("My service"), "service:mine", "person-heart", can_take_part, order=41)]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink
        from gongzhi.core.scoping import covers
        from gongzhi.orgs.models import OrgKind

        return [OrgLink(_("Reported members' service"), "service:unit_service", "file-earmark-word",
                        lambda user, org: covers(user, org), kinds=(OrgKind.UNIT,))]

    def ready(self) -> None:
        from gongzhi.core import personal
        from gongzhi.points.forms import register_activity_kinds

        from .models import ActivityKind

        register_activity_kinds(ActivityKind.choices)

        personal.not_personal("service.activity", "place")
