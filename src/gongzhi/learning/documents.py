"""The training certificate (.docx), built with python-docx."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def certificate_docx(enrolment) -> bytes:
    training_class = enrolment.training_class
    document = Document()
    title = document.add_heading(_("Certificate of completion"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = document.add_paragraph()
    body.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = body.add_run(_("%(name)s completed the training class “%(class)s” (%(start)s – %(end)s), organized by "
                         "%(org)s, with the required modules and hours.") % {
        "name": enrolment.member.name, "class": training_class.name, "start": training_class.starts_on,
        "end": training_class.ends_on, "org": training_class.organization.name})
    run.font.size = Pt(14)
    courses = [cc.course for cc in training_class.class_courses.select_related("course")]
    if courses:
        document.add_paragraph(_("Courses of the class:"))
        for course in sorted(courses, key=lambda c: (c.kind, c.title)):
            document.add_paragraph(f"{course.title}（{course.get_kind_display()}，{course.hours}）",
                                   style="List Bullet")
    document.add_paragraph(_("Certificate number: %(number)s") % {"number": enrolment.certificate_number})
    document.add_paragraph(_("Date of completion: %(date)s") % {"date": enrolment.completed_on})
    signature = document.add_paragraph(training_class.organization.name)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
