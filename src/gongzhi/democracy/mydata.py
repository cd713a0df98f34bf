"""What the democracy module holds about a person: the decisions on his or her probation, and the votes he or she
was entitled to (whether present; never how he or she voted: secret ballots hold no voter)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Decisions on your probation"), "democracy.Conversion", "member__user",
            (("proposal", pgettext_lazy("approval", "Decision")), ("status", _("Status")),
             ("probation_ended_on", _("Probation ends")), ("decided_on", _("Approved on")))),
    Section(_("Votes you were entitled to take part in"), "democracy.Elector", "member__user",
            (("resolution__title", _("Vote")), ("resolution__held_on", _("Date")), ("present", _("Present")))),
]
