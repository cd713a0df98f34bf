"""议事协商: the community opens a topic to the residents of a place, residents give opinions and
support an option (one opinion per resident), the community meets, records and publishes the outcome.
Every step enters the topic's history (append-only)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit

from .models import Consultation, ConsultationEvent, ConsultationOption, ConsultationStatus, Opinion

MAX_OPTIONS = 8
Kind = ConsultationEvent.Kind


def _options(lines: list[str]) -> list[str]:
    options = [line.strip()[:200] for line in lines if line.strip()]
    if len(options) > MAX_OPTIONS:
        raise ValidationError(_("At most %(n)s options.") % {"n": MAX_OPTIONS})
    if len(set(options)) != len(options):
        raise ValidationError(_("Two options are the same."))
    return options


def _check_place(consultation: Consultation) -> None:
    if consultation.grid and consultation.grid.community_id != consultation.community_id:
        raise ValidationError(_("This grid belongs to another community."))
    if consultation.building and consultation.grid and consultation.building.grid_id != consultation.grid_id:
        raise ValidationError(_("This building belongs to another grid."))
    if consultation.building and consultation.building.grid.community_id != consultation.community_id:
        raise ValidationError(_("This building belongs to another community."))


@transaction.atomic
def save_draft(*, consultation: Consultation, options: list[str], by, request=None) -> Consultation:
    """Create or edit a topic while it is a draft; its options are replaced."""
    if consultation.pk and Consultation.objects.get(pk=consultation.pk).status != ConsultationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be edited; the residents have seen this topic."))
    options = _options(options)
    _check_place(consultation)
    consultation.full_clean()
    created = consultation.pk is None
    consultation.save()
    consultation.options.all().delete()
    ConsultationOption.objects.bulk_create([ConsultationOption(consultation=consultation, text=text, position=i)
                                            for i, text in enumerate(options)])
    if created:
        ConsultationEvent.objects.create(consultation=consultation, kind=Kind.CREATED, actor=by)
    audit.record(actor=by, action="voice.consultation.save", obj=consultation, request=request)
    return consultation


def _move(consultation: Consultation, *, expected: str, to: str, kind: str, by, note: str = "", request=None,
          **fields) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != expected:
        raise ValidationError(_("This step is not possible now: the topic is %(status)s.")
                              % {"status": consultation.get_status_display()})
    consultation.status = to
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.save()
    ConsultationEvent.objects.create(consultation=consultation, kind=kind, note=note[:200], actor=by)
    audit.record(actor=by, action=f"voice.consultation.{kind}", obj=consultation, request=request)
    return consultation


@transaction.atomic
def open_consultation(*, consultation: Consultation, by, request=None) -> Consultation:
    if consultation.closes_on < timezone.localdate():
        raise ValidationError(_("The period for opinions is already over: change its end first."))
    return _move(consultation, expected=ConsultationStatus.DRAFT, to=ConsultationStatus.OPEN, kind=Kind.OPENED, by=by,
                 request=request)


@transaction.atomic
def close_consultation(*, consultation: Consultation, by, request=None) -> Consultation:
    count = consultation.opinions.count()
    return _move(consultation, expected=ConsultationStatus.OPEN, to=ConsultationStatus.CLOSED, kind=Kind.CLOSED,
                 by=by, request=request, note=_("%(n)s opinions") % {"n": count})


@transaction.atomic
def record_outcome(*, consultation: Consultation, meeting_on: date, meeting_note: str, outcome: str, by,
                   request=None) -> Consultation:
    """The meeting's date, what it discussed and what was decided; then publish it."""
    if meeting_on > timezone.localdate():
        raise ValidationError(_("The meeting cannot be in the future."))
    if not outcome.strip():
        raise ValidationError(_("Write the outcome."))
    consultation = _move(consultation, expected=ConsultationStatus.CLOSED, to=ConsultationStatus.CLOSED,
                         kind=Kind.MEETING, by=by, request=request, note=str(meeting_on), meeting_on=meeting_on,
                         meeting_note=meeting_note.strip()[:4000], outcome=outcome.strip()[:4000])
    return consultation


@transaction.atomic
def publish(*, consultation: Consultation, by, request=None) -> Consultation:
    if not consultation.outcome.strip():
        raise ValidationError(_("Record the meeting and its outcome before publishing."))
    return _move(consultation, expected=ConsultationStatus.CLOSED, to=ConsultationStatus.PUBLISHED,
                 kind=Kind.PUBLISHED, by=by, request=request, published_at=timezone.now())


@transaction.atomic
def give_opinion(*, consultation: Consultation, resident, text: str = "", option_id: int | None = None,
                 today: date | None = None) -> Opinion:
    """A resident's opinion and support: once, while the topic is open and within its period."""
    today = today or timezone.localdate()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != ConsultationStatus.OPEN or not consultation.opens_on <= today <= consultation.closes_on:
        raise ValidationError(_("This topic is not open for opinions."))
    text = (text or "").strip()
    if len(text) > 1000:
        raise ValidationError(_("The opinion is too long (at most 1,000 characters)."))
    option = None
    if option_id:
        option = consultation.options.filter(pk=option_id).first()
        if option is None:
            raise ValidationError(_("Choose one of the topic's options."))
    if not text and option is None:
        raise ValidationError(_("Write your opinion or support an option."))
    if Opinion.objects.filter(consultation=consultation, resident=resident).exists():
        raise ValidationError(_("You have already given your opinion on this topic."))
    try:
        with transaction.atomic():
            return Opinion.objects.create(consultation=consultation, resident=resident, option=option, text=text)
    except IntegrityError as exc:  # a double tap raced the first one
        raise ValidationError(_("You have already given your opinion on this topic.")) from exc


def tally(consultation: Consultation) -> list[dict]:
    """Support per option, with shares, in one query."""
    rows = list(consultation.options.annotate(support=Count("supporters")).order_by("position", "id"))
    total = sum(r.support for r in rows)
    return [{"option": r, "support": r.support, "share": (r.support / total) if total else None} for r in rows]
