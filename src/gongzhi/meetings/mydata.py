"""The person's own meeting attendance and appraisal records, for the "my data" page.

Appraisal ballots are not listed: they carry no link to the voter, by design.
"""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Meeting attendance"), "meetings.Attendance", "member__user",
            (("meeting__date", _("Date")), ("meeting__kind", _("Kind")), ("meeting__topic", _("Topic")), "status",
             "leave_reason"), order_by=("-meeting__date", "-id")),
    Section(_("Appraisal"), "meetings.Participant", "member__user",
            (("appraisal__year", _("Year")), "self_assessment", "grade")),
]
