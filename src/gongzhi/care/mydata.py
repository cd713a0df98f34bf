"""Care needs recorded about the person and the visits made to him or her, for the "my data" page.

Only records whose subject is the person: a member's pairings with other residents are not listed,
because they would show those residents' care status.
"""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Care needs"), "care.CareTag", "resident__user", ("kind", "note")),
    Section(_("Visits"), "care.Visit", "pairing__resident__user", ("visited_on", "note")),
]
