"""What the publicity module holds about a person: the notices he or she confirmed reading. (A question
asked about a board item is a request, listed by the request module.)"""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Notices you confirmed reading"), "publicity.Acknowledgement", "user",
            (("post__title", _("Notice")), ("created_at", _("Confirmed on")))),
]
