from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gongzhi.meetings"
    label = "meetings"
    verbose_name = _("Meetings and appraisal")
    url_prefix = "meetings/"

    def ready(self):
        from gongzhi.core.personal import Category, register

        # A reason for leave often names an illness: health data, shown only to those who record it.
        register("meetings.attendance", "leave_reason", mask="text", category=Category.SENSITIVE)

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_see_compliance, can_use_meetings

        return [
            NavItem(_("Meetings"), "meetings:calendar", "calendar3", can_use_meetings, order=30),
            NavItem(_("Compliance"), "meetings:compliance", "grid-3x3", can_see_compliance, order=31),
            NavItem(_("Appraisal"), "meetings:appraisals", "award", can_use_meetings, order=32),
        ]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink
        from gongzhi.orgs.models import OrgKind

        from .permissions import can_see_stats, can_use_meetings

        def attendance_visible(user, org):
            return can_use_meetings(user) and can_see_stats(user, org)

        kinds = (OrgKind.STREET, OrgKind.TOWNSHIP, OrgKind.COMMUNITY, OrgKind.VILLAGE, OrgKind.BRANCH,
                 OrgKind.DISTRICT)
        return [
            OrgLink(_("Meeting attendance"), "meetings:stats", "people", attendance_visible,
                    kinds=(*kinds, OrgKind.GROUP)),
            OrgLink(_("Appraisal grades"), "meetings:distribution", "award", can_see_stats, kinds=kinds),
        ]
