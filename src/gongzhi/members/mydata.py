"""The person's membership history, reportings, transfers and posts, for the "my data" page."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("History"), "members.MembershipEvent", "member__user",
            ("effective_on", "kind", "from_value", "to_value", "note")),
    Section(_("Dual reporting"), "members.Reporting", "member__user", ("community", "skills", "services", "status")),
    Section(_("Transfers"), "members.Transfer", "member__user",
            ("direction", "from_org", "to_org", "external_org_name", "letter_number", "reason", "status")),
    Section(_("Posts and duties"), "members.Post", "member__user",
            ("organization", "title", "duties", "starts_on", "ends_on")),
]
