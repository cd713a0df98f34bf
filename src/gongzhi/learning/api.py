"""Learning API: materials, my study records, training classes, marking studied. Same scoping as the pages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.scoping import get_visible_or_404

from . import selectors, services
from .models import REFLECTION_MAX, Material, StudyRecord, TrainingClass
from .permissions import member_of

router = Router(tags=["learning"])


class MaterialOut(Schema):
    id: int
    title: str
    kind: str
    link: str
    suggested_minutes: int
    published_on: date
    organization_id: int
    has_quiz: bool


class StudyRecordOut(Schema):
    id: int
    material_id: int
    material_title: str = Field(alias="material.title")
    studied_on: date
    minutes: int
    reflection: str


class TrainingClassOut(Schema):
    id: int
    name: str
    category: str
    organization_id: int
    programme_id: int
    starts_on: date
    ends_on: date
    finished_on: date | None


class StudyIn(Schema):
    minutes: int = Field(ge=1, le=600)
    reflection: str = Field(default="", max_length=REFLECTION_MAX)


class StudyResultOut(Schema):
    created: bool
    record: StudyRecordOut
    message: str


@router.get("/materials", response=list[MaterialOut])
@paginate
def list_materials(request, kind: str = ""):
    return selectors.materials_for(request.user, kind=kind[:16])


@router.get("/my-records", response=list[StudyRecordOut])
@paginate
def my_records(request):
    return StudyRecord.objects.filter(member__user=request.user).select_related("material")


@router.get("/classes", response=list[TrainingClassOut])
@paginate
def list_classes(request):
    return TrainingClass.objects.visible_to(request.user).order_by("-starts_on", "-id")


@router.post("/materials/{int:material_id}/studied", response={200: StudyResultOut, 201: StudyResultOut})
def mark_studied(request, material_id: int, payload: StudyIn):
    material = get_visible_or_404(Material, request.user, pk=material_id)
    member = member_of(request.user)
    if member is None:
        raise Http404
    try:
        result = services.mark_studied(material=material, member=member, minutes=payload.minutes,
                                       reflection=payload.reflection, by=request.user)
    except ValidationError as exc:
        raise HttpError(422, exc.messages[0]) from exc
    message = "marked as studied" if result.created else "already marked studied; nothing changed"
    return Status(201 if result.created else 200, {"created": result.created, "record": result.record,
                                                   "message": message})
