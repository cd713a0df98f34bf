"""What the reports hold about a person: the residential community's yearly evaluations of the member (双报到)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Evaluations by the community where you reported"), "reports.MemberEvaluation", "member__user",
            ("year", "community__name", "grade", "comment"), order_by=("-year",)),
]
