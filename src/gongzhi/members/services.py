"""Writes to member records: registering, correcting, and transfers out of and into the platform.

Every change of status, category, organization or residence is kept in the membership history
with its date and who made it; every write is audited in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.fields import fill_companions, lookup, with_companions

from .models import (
    Member,
    MembershipEvent,
    MembershipEventKind,
    Standing,
    Transfer,
    TransferDirection,
    TransferStatus,
)

# Fields whose change goes into the membership history, with the kind of event.
TRACKED = {
    "status": MembershipEventKind.STATUS,
    "category": MembershipEventKind.CATEGORY,
    "home_org": MembershipEventKind.ORGANIZATION,
    "community": MembershipEventKind.RESIDENCE,
    "grid": MembershipEventKind.RESIDENCE,
    "building": MembershipEventKind.RESIDENCE,
    "standing": MembershipEventKind.STANDING,
    "party_status": MembershipEventKind.PARTY_STATUS,
    "is_mobile_member": MembershipEventKind.MOBILE,
}
# The destination itself is personal data shown masked on the record; the history says only yes or no.


class DuplicateMember(ValidationError):
    """The ID number is already registered: ``existing`` is that record."""

    def __init__(self, existing: Member):
        super().__init__(_("This ID number is already registered."), code="duplicate")
        self.existing = existing


def _display(member: Member, field: str) -> str:
    value = getattr(member, field)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if member._meta.get_field(field).choices:
        return str(getattr(member, f"get_{field}_display")())
    return str(value)


def _check_unique(member: Member) -> None:
    existing = Member.objects.filter(lookup(Member, "id_number", member.id_number)).exclude(pk=member.pk).first()
    if existing is not None:
        raise DuplicateMember(existing)


@transaction.atomic
def register_member(*, member: Member, by, request=None, note: str = "") -> Member:
    """Save a new member record (already validated by the form) and open its history."""
    _check_unique(member)
    member.full_clean(exclude=["photo"])
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent registration of the same ID number
        raise DuplicateMember(Member.objects.get(lookup(Member, "id_number", member.id_number))) from exc
    MembershipEvent.objects.create(member=member, kind=MembershipEventKind.CREATED,
                                   to_value=member.home_org.name if member.home_org else member.home_org_name,
                                   note=note[:200], by=by)
    audit.record(actor=by, action="members.member.create", obj=member, subject_user=member.user, request=request)
    return member


@transaction.atomic
def update_member(*, member: Member, changes: dict, by, request=None, on: date | None = None) -> Member:
    """Apply corrected values; tracked changes (status, category, branch, residence) enter the history."""
    current = (Member.objects.select_for_update(of=("self",))
               .select_related("home_org", "community", "grid", "building").get(pk=member.pk))
    on = on or timezone.localdate()
    events = []
    for field, value in changes.items():
        before = _display(current, field)
        setattr(current, field, value)
        after = _display(current, field)
        if field in TRACKED and before != after:
            events.append(MembershipEvent(member=current, kind=TRACKED[field], from_value=before[:200],
                                          to_value=after[:200], effective_on=on, by=by))
    _check_unique(current)
    current.full_clean(exclude=["photo"])
    current.save()
    MembershipEvent.objects.bulk_create(events)
    audit.record(actor=by, action="members.member.update", obj=current, subject_user=current.user, request=request,
                 detail={"fields": sorted(changes)})
    return current


def _check_letter(letter_number: str, other_org: str) -> tuple[str, str]:
    letter_number, other_org = (letter_number or "").strip(), (other_org or "").strip()
    if not letter_number:
        raise ValidationError(_("Give the number of the letter of introduction."))
    if not other_org:
        raise ValidationError(_("Give the name of the other party organization."))
    return letter_number[:40], other_org[:100]


@transaction.atomic
def transfer_out(*, member: Member, destination: str, letter_number: str, on: date, reason: str = "", by,
                 request=None) -> Transfer:
    """The membership leaves the platform with a letter of introduction: the record stays, with its
    history, but the member no longer counts in any branch here."""
    member = Member.objects.select_for_update(of=("self",)).select_related("home_org").get(pk=member.pk)
    letter_number, destination = _check_letter(letter_number, destination)
    if member.standing == Standing.TRANSFERRED_OUT or member.home_org_id is None:
        raise ValidationError(_("This membership is not held by a branch of the platform."))
    if member.transfers.filter(status=TransferStatus.PENDING).exists():
        raise ValidationError(_("This member already has a transfer awaiting acceptance."))
    if on > timezone.localdate():
        raise ValidationError(_("The date of the transfer is in the future."))
    transfer = Transfer.objects.create(
        member=member, direction=TransferDirection.OUT, from_org=member.home_org, external_org_name=destination,
        letter_number=letter_number, reason=reason[:200], status=TransferStatus.ACCEPTED, requested_by=by,
        decided_by=by, decided_at=timezone.now())
    MembershipEvent.objects.create(member=member, kind=MembershipEventKind.TRANSFER_OUT,
                                   from_value=member.home_org.name, to_value=destination, effective_on=on,
                                   note=_("Letter %(number)s") % {"number": letter_number}, by=by)
    member.standing = Standing.TRANSFERRED_OUT
    member.serving_org = None
    member.save(update_fields=["standing", "serving_org", "updated_at"])
    audit.record(actor=by, action="members.transfer.out", obj=transfer, subject_user=member.user, request=request)
    return transfer


@transaction.atomic
def transfer_in(*, member: Member, to_org, source: str, letter_number: str, on: date, by,
                request=None) -> Transfer:
    """A membership arrives with a letter of introduction. ``member`` is either a new record
    (validated by the form) or the record of someone who once transferred out of the platform."""
    letter_number, source = _check_letter(letter_number, source)
    if on > timezone.localdate():
        raise ValidationError(_("The date of the transfer is in the future."))
    returning = member.pk is not None
    if returning:
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.standing != Standing.TRANSFERRED_OUT:
            raise DuplicateMember(member)
        member.home_org, member.home_org_name, member.standing = to_org, "", Standing.NORMAL
        member.save(update_fields=["home_org", "home_org_name", "standing", "updated_at"])
    else:
        member.home_org, member.home_org_name = to_org, ""
        _check_unique(member)
        member.full_clean(exclude=["photo"])
        member.save()
    transfer = Transfer.objects.create(
        member=member, direction=TransferDirection.IN, to_org=to_org, external_org_name=source,
        letter_number=letter_number, status=TransferStatus.ACCEPTED, requested_by=by, decided_by=by,
        decided_at=timezone.now())
    MembershipEvent.objects.create(member=member, kind=MembershipEventKind.TRANSFER_IN, from_value=source,
                                   to_value=to_org.name, effective_on=on,
                                   note=_("Letter %(number)s") % {"number": letter_number}, by=by)
    audit.record(actor=by, action="members.transfer.in", obj=transfer, organization=to_org,
                 subject_user=member.user, request=request)
    return transfer


@transaction.atomic
def save_resident(*, resident, by, request=None, member_id_number: str = ""):
    """Create or correct a resident record; a given party member's ID number links the member's record
    (and makes the political status "party member")."""
    from .models import PoliticalStatus, Resident

    member_id_number = (member_id_number or "").strip().upper()
    if member_id_number:
        member = Member.objects.filter(lookup(Member, "id_number", member_id_number)).first()
        if member is None:
            raise ValidationError(_("No party member is registered with this ID number."))
        linked = Resident.objects.filter(member=member).exclude(pk=resident.pk).first()
        if linked is not None:
            raise ValidationError(_("This party member is already linked to another resident record."))
        resident.member = member
        resident.political_status = PoliticalStatus.MEMBER
    if resident.id_number == "":
        resident.id_number = None
    if resident.id_number and Resident.objects.filter(lookup(Resident, "id_number", resident.id_number)) \
            .exclude(pk=resident.pk).exists():
        raise ValidationError(_("A resident with this ID number is already registered."))
    created = resident.pk is None
    resident.full_clean(exclude=["id_number"] if resident.id_number is None else None)
    resident.save()
    audit.record(actor=by, action="members.resident.create" if created else "members.resident.update", obj=resident,
                 subject_user=resident.user, request=request)
    return resident


#: Relations not checked one by one when a roster is written in bulk (the reader resolved them).
_BULK_UNCHECKED = ["photo", "home_org", "community", "grid", "building", "household", "serving_org", "user",
                   "job_code"]


def _check_bulk(member: Member) -> None:
    """The model's field and record rules without a query per member (constraints hold in the database)."""
    member.clean_fields(exclude=_BULK_UNCHECKED)
    member.clean()


def _shown(field: str, value, org_names: dict) -> str:
    if value is None or value == "":
        return ""
    if field == "home_org_id":
        return org_names.get(value, str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = Member._meta.get_field(field).choices
    return str(dict(choices).get(value, value)) if choices else str(value)


@transaction.atomic
def import_roster(*, plan, by, request=None, source: str = "") -> None:
    """Write a checked roster (``roster.read_roster``): new members in bulk with their "registered" entry
    (and, when they are mobile or out of contact, that too, dated), changed members in bulk with one
    history entry per tracked change, and one audit row with the counts. A plan with a problem is never
    written; a concurrent registration of the same ID number makes the whole import fail."""
    from gongzhi.core.pinyin import initials
    from gongzhi.orgs.models import Organization

    from .roster import UPDATABLE

    if not plan.ok:
        raise ValueError("a roster with problems is never written")
    actor = by if getattr(by, "is_authenticated", False) else None
    today, note = timezone.localdate(), _("Imported from a roster")
    now = timezone.now()
    for member in [*plan.new, *plan.updated]:
        member.name_initials = initials(member.name)
        member.updated_at = now
        _check_bulk(member)
    try:
        with transaction.atomic():
            Member.objects.bulk_create(plan.new)
    except IntegrityError as exc:
        raise ValidationError(_("Some of these members were registered by someone else meanwhile: check the "
                                "file again.")) from exc
    if plan.updated:
        for member in plan.updated:
            fill_companions(member)  # bulk_update does not call pre_save: the blind indexes by hand
        Member.objects.bulk_update(plan.updated, with_companions(Member, [*UPDATABLE, "name_initials", "updated_at"]))
    org_ids = {m.home_org_id for m in plan.new} | {value for changes in plan.changes.values()
                                                    for key, before, after in changes if key == "home_org_id"
                                                    for value in (before, after)}
    org_names = dict(Organization.objects.filter(pk__in=org_ids - {None}).values_list("pk", "name"))
    events = []
    # The new records by the blind indexes bulk_create computed; nothing decrypted (only what the events need).
    created = (Member.objects.filter(id_number_bidx__in=[m.id_number_bidx for m in plan.new])
               .only("pk", "home_org_id", "standing", "lost_contact_since", "is_mobile_member"))
    for member in created:
        events.append(MembershipEvent(member=member, kind=MembershipEventKind.CREATED,
                                      to_value=org_names.get(member.home_org_id, ""), effective_on=today, note=note,
                                      by=actor))
        if member.standing == Standing.LOST_CONTACT:
            events.append(MembershipEvent(member=member, kind=MembershipEventKind.STANDING,
                                          to_value=str(member.get_standing_display()),
                                          effective_on=member.lost_contact_since, note=note, by=actor))
        if member.is_mobile_member:
            events.append(MembershipEvent(member=member, kind=MembershipEventKind.MOBILE, from_value=_("No"),
                                          to_value=_("Yes"), effective_on=today, note=note, by=actor))
    for member in plan.updated:
        for key, before, after in plan.changes.get(member.pk, []):
            kind = TRACKED.get(key.removesuffix("_id"))
            if kind is not None:
                events.append(MembershipEvent(member=member, kind=kind, from_value=_shown(key, before, org_names)[:200],
                                              to_value=_shown(key, after, org_names)[:200], effective_on=today,
                                              note=note, by=actor))
    MembershipEvent.objects.bulk_create(events)
    audit.record(actor=by, action="members.roster.import", organization=plan.organization, request=request,
                 detail={"created": len(plan.new), "updated": len(plan.updated), "unchanged": len(plan.unchanged),
                         "table": plan.table.key if plan.table else "", "source": source[:100]})


@transaction.atomic
def add_job_code_table(*, key: str, name: str, entries: list[tuple[str, str, str]], description: str = "",
                       make_default: bool = False, by=None, request=None):
    """A new version of the job-position code table, from checked entries (``jobcodes.read_code_table``).
    A version once added is not rewritten: members keep pointing at the entries they were read with."""
    from .models import JobCode, JobCodeTable

    if JobCodeTable.objects.filter(key=key).exists():
        raise ValidationError(_("A code table with the key %(key)s exists already: choose another key.")
                              % {"key": key})
    table = JobCodeTable(key=key, name=name[:100], description=description)
    table.full_clean()
    if make_default:
        JobCodeTable.objects.filter(is_default=True).update(is_default=False)
        table.is_default = True
    table.save()
    JobCode.objects.bulk_create([JobCode(table=table, code=code, name=entry_name, category=category)
                                 for code, entry_name, category in entries])
    audit.record(actor=by, action="members.job_codes.add", obj=table, request=request,
                 detail={"key": key, "entries": len(entries), "default": make_default})
    return table


@transaction.atomic
def assign_post(*, by, request=None, **values):
    """Give a member a post with defined responsibilities (设岗定责), audited."""
    from .models import Post

    item = Post(created_by=by, **values)
    item.full_clean()
    item.save()
    audit.record(actor=by, action="members.post.create", obj=item, request=request)
    return item


@transaction.atomic
def end_post(*, post, by, request=None, on: date | None = None):
    """End a post from ``on`` (default today; never before it started), audited; an ended post is
    left as it is. ``ends_on`` is the first day without the post."""
    from gongzhi.core.services import model_update

    on = on or timezone.localdate()
    if post.ends_on is not None and post.ends_on <= on:
        return post
    model_update(instance=post, fields=["ends_on"], data={"ends_on": max(on, post.starts_on)})
    audit.record(actor=by, action="members.post.end", obj=post, request=request)
    return post
