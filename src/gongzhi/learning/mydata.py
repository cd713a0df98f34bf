"""The person's own training, study and quiz records, for the "my data" page (gongzhi.core.mydata)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.mydata import Section

SECTIONS = [
    Section(_("Training classes"), "learning.Enrolment", "member__user",
            ("training_class", "completed_on", "certificate_number")),
    Section(_("My study"), "learning.StudyRecord", "member__user",
            (("material__title", _("Title")), "studied_on", "minutes", "reflection"), order_by=("-studied_on", "-id")),
    Section(_("Quizzes passed"), "learning.QuizAttempt", "member__user",
            (("quiz__title", _("Title")), "score", "passed")),
]
