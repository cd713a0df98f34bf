"""The person's own points and redemptions, for the "my data" page (gongzhi.core.mydata)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Points ledger"), "points.PointEntry", "member__user",
            ("occurred_on", "points", "code", "hours", "reason"), order_by=("-occurred_on", "-id")),
    Section(_("Points shop"), "points.Redemption", "member__user",
            ("created_at", ("reward__name", _("reward")), "points")),
]
