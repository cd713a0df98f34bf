"""Writes of the care app: pairing, logging visits, and turning a need found on a visit into a small
wish or a request with one click. Each audited in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.points.models import RuleCode
from gongzhi.points.services import post_points

from .models import CareKind, CareTag, Pairing, Visit

CHILD_AGE = 18


@transaction.atomic
def pair(*, resident, member=None, unit=None, frequency_days: int = 30, by, request=None) -> Pairing:
    if (member is None) == (unit is None):
        raise ValidationError(_("Pair the resident with a party member or with a co-building unit."))
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(resident=resident, member=member, unit=unit,
                                             frequency_days=frequency_days, started_on=timezone.localdate())
    except IntegrityError as exc:
        raise ValidationError(_("This carer is already paired with the resident.")) from exc
    audit.record(actor=by, action="care.pairing.create", obj=pairing, request=request)
    return pairing


@transaction.atomic
def add_tag(*, resident, by, request=None, **values):
    """Tag a resident with a care need (``kind`` and the tag form's other fields), audited; a
    resident holds each kind once."""
    try:
        with transaction.atomic():
            tag = CareTag.objects.create(resident=resident, created_by=by, **values)
    except IntegrityError as exc:
        raise ValidationError(_("The resident already has this tag.")) from exc
    audit.record(actor=by, action="care.tag.add", obj=tag, organization=resident.community, request=request)
    return tag


@transaction.atomic
def log_visit(*, pairing: Pairing, visited_on: date, note: str = "", need: str = "", by, key: str | None = None,
              request=None) -> tuple[Visit, bool]:
    """Record a visit; with a ``key`` (sent by a phone) a retry returns the first record. Returns
    (visit, created)."""
    if key:
        existing = Visit.objects.filter(key=key).first()
        if existing is not None:
            if existing.pairing_id != pairing.pk:
                raise ValidationError(_("This key belongs to another visit."))
            return existing, False
    if pairing.ended_on is not None:
        raise ValidationError(_("This pairing has ended."))
    if visited_on > timezone.localdate():
        raise ValidationError(_("A visit cannot be in the future."))
    try:
        with transaction.atomic():
            visit = Visit.objects.create(pairing=pairing, visited_on=visited_on, note=note.strip()[:1000],
                                         need=need.strip()[:500], created_by=by, key=key or None)
    except IntegrityError:
        return Visit.objects.get(key=key), False
    audit.record(actor=by, action="care.visit.log", obj=pairing, request=request)
    post_visit_points(visit, by=by)
    return visit, True


def post_visit_points(visit: Visit, *, by=None):
    """The ``visit`` points for the paired party member (a unit's visits earn no member points),
    earned in the resident's community."""
    pairing = visit.pairing
    if pairing.member_id is None:
        return None
    return post_points(member=pairing.member, code=RuleCode.VISIT, key=f"visit:{visit.pk}",
                       occurred_on=visit.visited_on, source=visit, organization=pairing.resident.community,
                       by=by)


def _locked_visit(visit: Visit) -> Visit:
    visit = Visit.objects.select_for_update(of=("self",)).select_related(
        "pairing__resident__community").get(pk=visit.pk)
    if not visit.need.strip():
        raise ValidationError(_("No need was noted on this visit."))
    return visit


@transaction.atomic
def need_to_wish(*, visit: Visit, by, request=None):
    """The need becomes a small wish of the resident; a second click returns the same wish."""
    from gongzhi.voice import wishes

    visit = _locked_visit(visit)
    if visit.wish_id:
        return visit.wish
    resident = visit.pairing.resident
    wish = wishes.create(community=resident.community, text=visit.need[:500], resident=resident, by=by)
    visit.wish = wish
    visit.save(update_fields=["wish"])
    audit.record(actor=by, action="care.need.to_wish", obj=visit.pairing, request=request, detail={"wish": wish.pk})
    return wish


@transaction.atomic
def need_to_request(*, visit: Visit, category: str, by, request=None):
    """The need becomes a request entered on the resident's behalf (channel: visit), routed and timed
    like any other; a second click returns the same request."""
    from gongzhi.voice import services as voice
    from gongzhi.voice.models import Channel

    visit = _locked_visit(visit)
    if visit.request_id:
        return visit.request
    resident = visit.pairing.resident
    household = resident.household
    req = voice.submit(community=resident.community, category=category, text=visit.need[:2000],
                       channel=Channel.VISIT, building=household.building if household else None,
                       grid=household.building.grid if household else None, resident=resident, by=by)
    visit.request = req
    visit.save(update_fields=["request"])
    audit.record(actor=by, action="care.need.to_request", obj=visit.pairing, request=request,
                 detail={"request": req.pk})
    return req


def is_child_record(birth_year: int, kinds) -> bool:
    """A resident born in ``birth_year`` with the care needs ``kinds`` (their codes) is a left-behind child, or
    anyone under 18 with a care need: each viewing of the record is logged."""
    kinds = set(kinds)
    minor = timezone.localdate().year - birth_year < CHILD_AGE
    return CareKind.LEFT_BEHIND in kinds or (bool(kinds) and minor)


def log_child_record_views(*, residents, by, request=None, via: str = "registry") -> int:
    """Log the viewing of every child's record in a list at once (one INSERT); ``residents`` are records or the
    registry's rows (``selectors.RegistryRow``)."""
    return audit.record_many(actor=by, action="care.child_record.view", objs=residents, request=request,
                             detail={"via": via}, subject_user_id=lambda r: r.user_id,
                             organization_id=lambda r: r.community_id)


def log_child_record_view(*, resident, by, request=None, via: str = "page") -> None:
    audit.record(actor=by, action="care.child_record.view", obj=resident, organization=resident.community,
                 subject_user=resident.user, request=request, detail={"via": via})

