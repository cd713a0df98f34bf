"""What supervision holds about a person: the complaints he or she made under his or her own name, and the
rectifications he or she answers for. Anonymous complaints are linked to nobody, so they appear nowhere;
complaints naming a person are not listed to that person (they are handled by the committee, and a
complainant's protection comes first)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Complaints and reports you made"), "supervision.Complaint", "submitted_by",
            ("reference", "received_on", "kind", "status", "concluded_on")),
    Section(_("Rectifications you answer for"), "supervision.Rectification", "owner",
            ("requirement", "opened_on", "deadline", "status", "closed_on")),
]
