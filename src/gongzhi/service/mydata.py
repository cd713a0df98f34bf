"""The person's own sign-ups, check-ins and service-team memberships, for the "my data" page
(gongzhi.core.mydata)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Activities"), "service.SignUp", ("member__user", "resident__user"),
            (("activity__title", _("activity")), "status", "created_at")),
    Section(_("Activities attended"), "service.CheckIn", ("member__user", "resident__user"),
            (("activity__title", _("activity")), "checked_in_at", "checked_out_at", "hours", "by_hand_reason")),
    Section(_("Service teams"), "service.TeamMembership", "member__user",
            (("team__name", _("service team")), "joined_on", "left_on")),
]
