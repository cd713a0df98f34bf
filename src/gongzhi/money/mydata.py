"""What the dues and funds module holds about a person: his or her dues payments and yearly income bases."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Your dues payments"), "money.DuesPayment", "member__user",
            ("month", "amount", "due", "method", "paid_on", "paid_for_by", "reason")),
    Section(_("Your dues bases"), "money.DuesBase", "member__user", ("year", "basis", "amount")),
]
