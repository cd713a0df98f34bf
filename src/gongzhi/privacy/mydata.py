"""What the privacy app holds about a person: his or her requests about his or her own data and their
outcome; and the link from "my data" to ask for a correction or an erasure."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Action, Section

SECTIONS = [
    Section(_("Your requests about your data"), "privacy.DataRequest", "person",
            ("kind", "subject", "field", "proposed_value", "reason", "status", "due_on", "decision_reason",
             "decided_at")),
]

ACTIONS = [
    Action(_("Ask to correct or erase your data"), "privacy:mine", "pencil-square"),
]
