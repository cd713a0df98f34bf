"""The "2+X" completion rule, in one place.

A member enrolled in a training class has completed it when all three hold:

1. both required courses (the "2" modules) were attended: present at one session or more of each;
2. at least ``min_electives`` different elective courses of the class were attended (the "X");
3. the hours of the sessions attended (present only) add up to ``required_hours`` or more.

Leave and absence count for nothing; sessions of courses outside the class cannot exist
(``services.add_session`` refuses them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .models import Attendance, AttendanceStatus, CourseKind


@dataclass
class Progress:
    hours: Decimal = Decimal(0)
    required_done: set[int] = field(default_factory=set)
    electives_done: set[int] = field(default_factory=set)
    required_total: int = 2
    min_electives: int = 0
    required_hours: Decimal = Decimal(0)

    @property
    def complete(self) -> bool:
        return (len(self.required_done) >= self.required_total
                and len(self.electives_done) >= self.min_electives
                and self.hours >= self.required_hours)

    @property
    def missing(self) -> list[str]:
        from django.utils.translation import gettext as _

        reasons = []
        if len(self.required_done) < self.required_total:
            reasons.append(_("required modules %(done)s of %(total)s")
                           % {"done": len(self.required_done), "total": self.required_total})
        if len(self.electives_done) < self.min_electives:
            reasons.append(_("electives %(done)s of %(total)s")
                           % {"done": len(self.electives_done), "total": self.min_electives})
        if self.hours < self.required_hours:
            reasons.append(_("hours %(done)s of %(total)s") % {"done": self.hours, "total": self.required_hours})
        return reasons


def class_progress(training_class) -> dict[int, Progress]:
    """Progress of every enrolment of the class, keyed by enrolment id (two queries)."""
    required_total = sum(1 for cc in training_class.class_courses.select_related("course")
                         if cc.course.kind == CourseKind.REQUIRED)
    progress = {
        pk: Progress(required_total=required_total, min_electives=training_class.min_electives,
                     required_hours=training_class.required_hours)
        for pk in training_class.enrolments.values_list("pk", flat=True)
    }
    rows = Attendance.objects.filter(session__training_class=training_class, status=AttendanceStatus.PRESENT) \
        .values_list("enrolment_id", "session__course_id", "session__course__kind", "session__hours")
    for enrolment_id, course_id, kind, hours in rows:
        entry = progress.get(enrolment_id)
        if entry is None:
            continue
        entry.hours += hours
        (entry.required_done if kind == CourseKind.REQUIRED else entry.electives_done).add(course_id)
    return progress
