"""What the publicity module holds about a person: the notices he or she confirmed reading. (A question
asked about a board item is a request, listed by the request module.)"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Notices you confirmed reading"), "publicity.Acknowledgement", "user",
            (("post__title", pgettext_lazy("post", "Notice")), ("created_at", _("Confirmed on")))),
]
