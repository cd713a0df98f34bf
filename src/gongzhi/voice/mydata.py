"""Requests and wishes of the person as a resident, for the "my data" page (gongzhi.core.mydata)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Requests"), "voice.Request", "resident__user",
            ("created_at", "tracking_number", "category", "text", "status")),
    Section(_("Small wishes"), "voice.Wish", "resident__user", ("created_at", "text", "status")),
]
