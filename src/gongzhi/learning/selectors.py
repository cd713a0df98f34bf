"""Reads of the learning app: one selector per page-level figure, reused by pages and API.

Study time is shown as a record (totals, per branch, per member in name order); nothing
is ranked by it (docs/domain.md, against formalism).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from gongzhi.core.statements import Statement
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization, OrgKind

from .completion import class_progress
from .models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    Material,
    Quiz,
    QuizAttempt,
    StudyRecord,
    TraineeCategory,
    TrainingClass,
)


def materials_for(user, member=None, kind: str = ""):
    qs = (Material.objects.visible_to(user).filter(withdrawn_on__isnull=True).select_related("organization")
          .annotate(has_quiz=Exists(Quiz.objects.filter(material=OuterRef("pk")))))
    if member is not None:
        qs = qs.annotate(studied=Exists(StudyRecord.objects.filter(material=OuterRef("pk"), member=member)))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def training_hours_by_module(member, year: int) -> list[dict]:
    """Hours of training sessions attended (present) in the year, per course module."""
    rows = (Attendance.objects.filter(enrolment__member=member, status=AttendanceStatus.PRESENT,
                                      session__held_on__year=year)
            .values("session__course__module").annotate(hours=Sum("session__hours"), sessions=Count("id"))
            .order_by("session__course__module"))
    return [{"module": r["session__course__module"], "hours": r["hours"], "sessions": r["sessions"]} for r in rows]


def member_record(member, year: int | None = None, viewer=None) -> dict:
    """A member's learning record for the year: study, training hours by module, classes, quizzes.

    With a ``viewer``, each class and studied material is marked ``linked`` when the viewer may open it
    (a branch secretary reads the record of a member in a class the community runs)."""
    year = year or timezone.localdate().year
    records = list(StudyRecord.objects.filter(member=member, studied_on__year=year).select_related("material"))
    study_minutes = sum(r.minutes for r in records)
    modules = training_hours_by_module(member, year)
    enrolments = list(Enrolment.objects.filter(member=member).select_related("training_class")
                      .order_by("-training_class__starts_on"))
    if viewer is not None:
        classes = set(TrainingClass.objects.visible_to(viewer).filter(
            pk__in=[e.training_class_id for e in enrolments]).values_list("pk", flat=True))
        materials = set(Material.objects.visible_to(viewer).filter(
            pk__in=[r.material_id for r in records]).values_list("pk", flat=True))
    for enrolment in enrolments:
        enrolment.linked = viewer is None or enrolment.training_class_id in classes
    for record in records:
        record.linked = viewer is None or record.material_id in materials
    passed = (QuizAttempt.objects.filter(member=member, passed=True).values("quiz_id").distinct().count())
    return {
        "member": member, "year": year, "records": records, "study_minutes": study_minutes,
        "study_hours": (Decimal(study_minutes) / 60).quantize(Decimal("0.1")),
        "modules": modules, "training_hours": sum((m["hours"] for m in modules), Decimal(0)),
        "enrolments": enrolments, "quizzes_passed": passed,
    }


def default_organization(user):
    """The top organization of the user's subtree roles (for figures pages)."""
    from gongzhi.core.scoping import scope_paths

    paths = scope_paths(user)
    if not paths:
        return None
    return Organization.objects.filter(path=paths[0]).first()


#: A subtree of at most this many organizations has their ids written into ``study_hours``' queries; a larger one
#: (a street's few hundred, whose records are most of the table: the scan is the plan anyway) is matched by its
#: path, where writing hundreds of ids into five queries would cost more than it saves.
INLINE_ORGANIZATIONS = 100
#: Up to this many of the subtree's organizations are read first to name the rows; past it, only those listed.
NAMED_ORGANIZATIONS = 1000


def study_hours(organization, year: int) -> dict:
    """Study hours per branch (and building group) and per member within an organization's subtree.

    The records are grouped by ids only (organization; member and organization), never by names: the names
    are read after, for the organizations listed and for one page of members (``name_member_rows``).

    The subtree's organizations (id, name, path) are read first, in one small query that also names the
    organizations listed. A small subtree's ids (a community's) are written into the queries: the indexes on the
    records' organization and on the members' branch then read its records and members (a tenth of a street's)
    instead of the planner scanning every record and member to join them to the organizations (docs/scaling.md,
    run K)."""
    subtree = list(Organization.objects.in_subtree(organization).order_by()
                   .values_list("pk", "name", "path")[:NAMED_ORGANIZATIONS + 1])
    named = {pk: (name, path) for pk, name, path in subtree} if len(subtree) <= NAMED_ORGANIZATIONS else None
    if len(subtree) <= INLINE_ORGANIZATIONS:
        ids = [pk for pk, _name, _path in subtree]
        records = StudyRecord.objects.filter(organization_id__in=ids).in_year(year)
        held = Member.objects.filter(home_org_id__in=ids)
    else:
        records = StudyRecord.objects.in_subtree(organization).in_year(year)
        held = Member.objects.held_in(organization)
    totals = records.aggregate(minutes=Sum("minutes"), records=Count("id"), members=Count("member", distinct=True))
    per_org = list(records.values("organization_id")
                   .annotate(minutes=Sum("minutes"), records=Count("id"), members=Count("member", distinct=True))
                   .order_by())
    if named is None:
        named = {pk: (name, path) for pk, name, path in Organization.objects.filter(
            pk__in=[row["organization_id"] for row in per_org]).values_list("pk", "name", "path")}
    for row in per_org:
        row["organization__name"], row["organization__path"] = named[row["organization_id"]]
        row["hours"] = _hours(row["minutes"])
    per_org.sort(key=lambda row: row["organization__path"])
    # Ordered by the member's initials (a column of the member, no join to the organizations); a page of it
    # is named by ``name_member_rows``.
    per_member = (records.values("member_id", "organization_id").annotate(minutes=Sum("minutes"), records=Count("id"))
                  .order_by("member__name_initials", "member_id", "organization_id"))
    members_total = held.current().count()
    return {
        "organization": organization, "year": year,
        "minutes": totals["minutes"] or 0, "hours": _hours(totals["minutes"] or 0),
        "records": totals["records"], "members_studied": totals["members"], "members_total": members_total,
        "per_org": per_org, "per_member": per_member,
    }


def name_member_rows(rows) -> list[dict]:
    """One page of ``study_hours``' per-member rows with the member's and the organization's names (two
    queries whatever the page's length)."""
    rows = list(rows)
    member_ids, org_ids = {r["member_id"] for r in rows}, {r["organization_id"] for r in rows}
    members = dict(_MEMBER_NAMES.rows(ids=tuple(member_ids))) if member_ids else {}
    orgs = dict(_ORGANIZATION_NAMES.rows(ids=tuple(org_ids))) if org_ids else {}
    for row in rows:
        row["member__name"], row["organization__name"] = members.get(row["member_id"], ""), orgs.get(
            row["organization_id"], "")
    return rows


def _hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"))


#: A page of names (``name_member_rows``), compiled once per number of ids (core.statements).
_MEMBER_NAMES = Statement(lambda ids: Member.objects.filter(pk__in=ids).values_list("pk", "name"))
_ORGANIZATION_NAMES = Statement(lambda ids: Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def _enrolments(path, first, last):
    # ``starts_on__year`` is this very range (BETWEEN the year's first and last day), given as dates a statement
    # can take.
    return Enrolment.objects.filter(training_class__organization__path__startswith=path,
                                    training_class__starts_on__range=(first, last))


_COUNTS = {"enrolled": Count("id"), "completed": Count("id", filter=Q(completed_on__isnull=False))}
#: ``training_completion``'s two grouped counts, compiled once (core.statements).
_BY_CATEGORY = Statement(lambda path, first, last: _enrolments(path, first, last).values("training_class__category")
                         .annotate(**_COUNTS).order_by("training_class__category")
                         .values_list("training_class__category", "enrolled", "completed"))
_BY_BRANCH = Statement(lambda path, first, last: _enrolments(path, first, last)
                       .values("member__home_org__name", "member__home_org__path").annotate(**_COUNTS)
                       .order_by("member__home_org__path")
                       .values_list("member__home_org__name", "member__home_org__path", "enrolled", "completed"))


def training_completion(organization, year: int) -> dict:
    """Training completion by category of members, and per branch of the members enrolled,
    for classes organized in the subtree and starting in the year."""
    values = {"path": organization.path, "first": date(year, 1, 1), "last": date(year, 12, 31)}
    labels = dict(TraineeCategory.choices)
    by_category = [
        {"category": category, "label": labels.get(category, ""), "enrolled": enrolled, "completed": completed,
         "rate": completed / enrolled if enrolled else None}
        for category, enrolled, completed in _BY_CATEGORY.rows(**values)
    ]
    by_branch = [
        {"member__home_org__name": name, "member__home_org__path": path, "enrolled": enrolled,
         "completed": completed, "rate": completed / enrolled if enrolled else None}
        for name, path, enrolled, completed in _BY_BRANCH.rows(**values)
    ]
    return {"by_category": by_category, "by_branch": by_branch}


def class_page(training_class) -> dict:
    progress = class_progress(training_class)
    enrolments = list(training_class.enrolments.select_related("member__home_org"))
    for enrolment in enrolments:
        enrolment.progress = progress[enrolment.pk]
    courses = [cc.course for cc in training_class.class_courses.select_related("course").order_by(
        "-course__kind", "course__title")]  # required ("r…") before elective
    sessions = list(training_class.sessions.select_related("course").annotate(
        present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT))))
    return {
        "training_class": training_class, "enrolments": enrolments, "courses": courses, "sessions": sessions,
        "eligible": sum(1 for e in enrolments if e.progress.complete),
    }


def branches_of(organization):
    return Organization.objects.descendants_of(organization, include_self=True).filter(
        kind__in=[OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.VILLAGE])
