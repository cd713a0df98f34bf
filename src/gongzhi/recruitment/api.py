"""Recruitment API (read only): the people in recruitment (one paging shape) and one person with the steps
passed, what is next and what is overdue. Same scoping and refusals as the pages; ID numbers and phones masked."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from gongzhi.core.api_types import ObjectId, Rows
from gongzhi.core.edge import api_require
from gongzhi.core.personal import mask_id_number, mask_phone
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import Organization

from . import selectors, services
from .models import Standing
from .permissions import can_read_candidates, can_use_recruitment

router = Router(tags=["recruitment"])


class RecruitmentOverdueOut(Schema):
    kind: str
    due: date
    reason: str


class RecruitmentPersonOut(Schema):
    id: int
    name: str
    branch_id: int
    branch: str
    standing: str
    last_step: int
    next_step: int | None
    member_id: int | None
    overdue: list[RecruitmentOverdueOut]


class RecruitmentStepOut(Schema):
    number: int
    on: date
    notes: str
    first_member_id: int | None
    second_member_id: int | None
    notice_starts_on: date | None
    notice_ends_on: date | None
    vote_id: int | None
    documents: int


class RecruitmentDetailOut(RecruitmentPersonOut):
    sex: str
    birth_year: int
    id_number: str
    phone: str
    education: str
    category: str
    workplace: str
    steps: list[RecruitmentStepOut]


def _row(candidate, today) -> dict:
    return {"id": candidate.pk, "name": candidate.name, "branch_id": candidate.branch_id,
            "branch": candidate.branch.name, "standing": candidate.current_standing, "last_step": candidate.last_step,
            "next_step": services.next_step(candidate), "member_id": candidate.member_id,
            "overdue": [{"kind": o.kind, "due": o.due, "reason": str(o.reason)}
                        for o in services.overdue(candidate, today)]}


@router.get("/", response=list[RecruitmentPersonOut])
@paginate
def people(request, organization_id: ObjectId | None = None, standing: Standing | None = None):
    """People in recruitment the user may read, optionally below one organization or in one standing."""
    api_require(can_use_recruitment(request.user))
    queryset = selectors.candidates(request.user)
    if organization_id is not None:
        organization = get_visible_or_404(Organization, request.user, pk=organization_id)
        queryset = queryset.filter(branch__path__startswith=organization.path)
    if standing is not None:
        queryset = queryset.annotate(now=selectors.standing_expression()).filter(now=standing)
    today = timezone.localdate()
    queryset = selectors.with_progress(queryset.order_by("branch__path", "-last_step", "id"))
    return Rows(queryset, lambda page: [_row(c, today) for c in page])


@router.get("/{int:person_id}", response=RecruitmentDetailOut)
def person(request, person_id: int):
    candidate = (selectors.with_progress(selectors.candidates(request.user)).prefetch_related("steps__documents")
                 .filter(pk=person_id).first())
    api_require(candidate is not None and can_read_candidates(request.user, candidate.branch))
    steps = [{"number": s.number, "on": s.on, "notes": s.notes, "first_member_id": s.first_member_id,
              "second_member_id": s.second_member_id, "notice_starts_on": s.notice_starts_on,
              "notice_ends_on": s.notice_ends_on, "vote_id": s.resolution_id, "documents": len(s.documents.all())}
             for s in candidate.steps.all()]
    return {**_row(candidate, timezone.localdate()), "sex": candidate.sex, "birth_year": candidate.birth_date.year,
            "id_number": mask_id_number(candidate.id_number), "phone": mask_phone(candidate.phone),
            "education": candidate.education, "category": candidate.category, "workplace": candidate.workplace,
            "steps": steps}
