"""Every write of supervision: checks, rectifications with their evidence, complaints and their handling.
Keyword-only, one transaction, the audit row in the same transaction, notifications after commit.

An anonymous complaint writes no audit row and no request address, because an audit row's actor, time
and address would lead back to the person; handling it is audited like anything else.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Role, RoleKind
from gongzhi.core import audit
from gongzhi.core.models import Notification
from gongzhi.orgs.models import COMMUNITY_LEVEL

from .models import (
    Complaint,
    ComplaintEvent,
    ComplaintEventKind,
    ComplaintKind,
    ComplaintStatus,
    Conclusion,
    Evidence,
    Rectification,
    RectificationEvent,
    RectificationEventKind,
    RectificationStatus,
    SupervisionItem,
)
from .permissions import MANAGERS, OVERSEEN

#: Working days within which a complaint is answered (a common local rule; the letters-and-visits
#: regulation allows longer for a full investigation, which the committee records as notes).
ANSWER_WORKING_DAYS = 15
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_EVIDENCE_FILES = 5


def _overseen(organization) -> None:
    if organization is None or organization.kind not in OVERSEEN:
        raise ValidationError(_("The committee oversees communities and villages, their branches and groups."))


def _notify(user_ids, *, title: str, url: str, key: str) -> None:
    Notification.objects.bulk_create([Notification(user_id=pk, title=title[:200], url=url, key=key)
                                      for pk in sorted(set(user_ids))], ignore_conflicts=True)


# --- checks and rectifications ------------------------------------------------------------------------


@transaction.atomic
def record_item(*, organization, area: str, title: str, finding: str, conclusion: str, checked_on: date, by,
                request=None) -> SupervisionItem:
    _overseen(organization)
    if checked_on > timezone.localdate():
        raise ValidationError(_("A check is recorded once it has taken place: the date is in the future."))
    if conclusion not in Conclusion.values:
        raise ValidationError(_("Choose the conclusion."))
    item = SupervisionItem(organization=organization, area=area, title=title.strip(), finding=finding.strip(),
                           conclusion=conclusion, checked_on=checked_on, recorded_by=by)
    item.full_clean()
    item.save()
    audit.record(actor=by, action="supervision.item.record", obj=item, request=request)
    return item


def responsible_people(organization):
    """Who may answer for a rectification: people holding a managing role at the organization or above it,
    within its community (the secretary, staff, the branch secretary, the group leader)."""
    from gongzhi.accounts.models import User
    from gongzhi.orgs.models import STEP

    paths = [organization.path[:i] for i in range(STEP, len(organization.path) + 1, STEP)]
    community = organization.community()
    if community is not None:
        paths = [p for p in paths if p.startswith(community.path)]
    today = timezone.localdate()
    holders = Role.objects.active(today).filter(kind__in=MANAGERS, organization__path__in=paths)
    return User.objects.filter(pk__in=holders.values("user_id")).order_by("display_name", "pk")


@transaction.atomic
def order_rectification(*, item: SupervisionItem, owner, requirement: str, deadline: date, by,
                        organization=None, request=None) -> Rectification:
    """The committee orders the checked organization (or one below it) to put something right by a date."""
    organization = organization or item.organization
    _overseen(organization)
    if not organization.path.startswith(item.organization.path):
        raise ValidationError(_("The organization responsible must be the one checked or one below it."))
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError(_("The deadline cannot be in the past."))
    if not responsible_people(organization).filter(pk=owner.pk).exists():
        raise ValidationError(_("The person responsible must hold a post in the organization."))
    if not requirement.strip():
        raise ValidationError(_("Say what must be rectified."))
    rectification = Rectification(item=item, organization=organization, owner=owner,
                                  requirement=requirement.strip(), opened_on=today, deadline=deadline, opened_by=by)
    rectification.full_clean()
    rectification.save()
    RectificationEvent.objects.create(rectification=rectification, kind=RectificationEventKind.OPENED,
                                      note=requirement.strip()[:2000], actor=by)
    if item.conclusion != Conclusion.ISSUES:
        SupervisionItem.objects.filter(pk=item.pk).update(conclusion=Conclusion.ISSUES)
    audit.record(actor=by, action="supervision.rectification.order", obj=rectification, request=request,
                 detail={"deadline": deadline.isoformat()})
    title = _("Rectification ordered by the supervision committee, due %(day)s") % {"day": deadline.isoformat()}
    url = reverse("supervision:rectification", args=[rectification.pk])
    transaction.on_commit(lambda: _notify([owner.pk], title=title, url=url,
                                          key=f"supervision:rectification:{rectification.pk}:opened"))
    return rectification


def _locked_rectification(rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("organization", "item").get(pk=rectification.pk)


@transaction.atomic
def report_progress(*, rectification: Rectification, note: str, done: bool, by, files=(),
                    request=None) -> RectificationEvent:
    """The organization reports progress, or that it is done, with evidence (a note and/or files)."""
    from gongzhi.publicity.uploads import check_attachment

    rectification = _locked_rectification(rectification)
    if rectification.status != RectificationStatus.OPEN:
        raise ValidationError(_("This rectification is not open: it is %(status)s.")
                              % {"status": rectification.get_status_display()})
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(_("At most %(n)s files at a time.") % {"n": MAX_EVIDENCE_FILES})
    checked = [(upload, *check_attachment(upload)) for upload in files]
    if not note.strip() and not checked:
        raise ValidationError(_("Describe what was done or attach the evidence."))
    if done and not note.strip():
        raise ValidationError(_("Say what was done to put it right."))
    event = RectificationEvent.objects.create(
        rectification=rectification, kind=RectificationEventKind.REPORTED if done else RectificationEventKind.PROGRESS,
        note=note.strip()[:2000], actor=by)
    for upload, name, content_type, digest in checked:
        evidence = Evidence(rectification=rectification, event=event, name=name, content_type=content_type,
                            size=upload.size, sha256=digest)
        evidence.file.save(name, upload, save=False)
        evidence.save()
    if done:
        rectification.status, rectification.reported_on = RectificationStatus.REPORTED, timezone.localdate()
        rectification.save(update_fields=["status", "reported_on"])
        title = _("A rectification is reported done: please verify it")
        url = reverse("supervision:rectification", args=[rectification.pk])
        opener = rectification.opened_by_id
        transaction.on_commit(lambda: _notify([opener], title=title, url=url,
                                              key=f"supervision:rectification:{rectification.pk}:{event.pk}"))
    audit.record(actor=by, action="supervision.rectification.report", obj=rectification, request=request,
                 detail={"done": done, "files": [c[3] for c in checked]})
    return event


@transaction.atomic
def verify(*, rectification: Rectification, accept: bool, note: str = "", by, request=None) -> Rectification:
    """The committee closes a rectification reported done, or sends it back with the reason."""
    rectification = _locked_rectification(rectification)
    if rectification.status != RectificationStatus.REPORTED:
        raise ValidationError(_("Only a rectification reported done is verified."))
    if not accept and not note.strip():
        raise ValidationError(_("Say what is still missing."))
    if accept:
        rectification.status, rectification.closed_on, rectification.closed_by = (
            RectificationStatus.CLOSED, timezone.localdate(), by)
    else:
        rectification.status = RectificationStatus.OPEN
    rectification.full_clean()
    rectification.save(update_fields=["status", "closed_on", "closed_by"])
    RectificationEvent.objects.create(
        rectification=rectification,
        kind=RectificationEventKind.CLOSED if accept else RectificationEventKind.RETURNED,
        note=note.strip()[:2000], actor=by)
    audit.record(actor=by, action="supervision.rectification.close" if accept else "supervision.rectification.return",
                 obj=rectification, request=request)
    return rectification


# --- complaints ------------------------------------------------------------------------------------


def digest_of(receipt: str) -> str:
    normalised = "".join(ch for ch in (receipt or "").upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _n in range(16))  # 80 bits
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def complaint_subjects(community):
    """The office-holders of a community and its branches a complaint may name (current roles)."""
    today = timezone.localdate()
    return (Role.objects.active(today).filter(
        organization__path__startswith=community.path, organization__is_active=True,
        kind__in=[RoleKind.COMMUNITY_SECRETARY, RoleKind.COMMUNITY_STAFF, RoleKind.BRANCH_SECRETARY,
                  RoleKind.GROUP_LEADER, RoleKind.SUPERVISOR, RoleKind.TREASURER])
        .select_related("user", "organization").order_by("organization__path", "kind", "user__display_name"))


def _handler_ids(complaint: Complaint) -> set[int]:
    """The committee members covering the organization concerned (else the street's administrators),
    never the person named."""
    from gongzhi.orgs.models import STEP

    path = complaint.organization.path
    above = [path[:i] for i in range(STEP, len(path) + 1, STEP)]
    roles = Role.objects.active(timezone.localdate()).filter(organization__path__in=above)
    ids = set(roles.filter(kind=RoleKind.SUPERVISOR).values_list("user_id", flat=True))
    ids.discard(complaint.subject_user_id)
    if not ids:
        ids = set(roles.filter(kind=RoleKind.STREET_ADMIN).values_list("user_id", flat=True))
        ids.discard(complaint.subject_user_id)
    return ids


@transaction.atomic
def submit_complaint(*, community, organization, kind: str, text: str, anonymous: bool, subject_user=None,
                     subject_role: str = "", submitted_by=None, contact_name: str = "", contact_phone: str = "",
                     request=None) -> tuple[Complaint, str]:
    """A complaint or report; returns it with the receipt the complainant keeps (shown once, stored hashed)."""
    from gongzhi.core.workdays import add_working_days

    if community is None or community.kind not in COMMUNITY_LEVEL:
        raise ValidationError(_("Complaints are made to a community or village."))
    if not organization.path.startswith(community.path):
        raise ValidationError(_("The organization concerned is not in this community."))
    if kind not in ComplaintKind.values:
        raise ValidationError(_("Choose whether it is a complaint or a report."))
    text = text.strip()
    if len(text) < 10:
        raise ValidationError(_("Describe what happened (at least 10 characters)."))
    if anonymous:
        submitted_by, contact_name, contact_phone = None, "", ""
    elif submitted_by is None and not contact_phone:
        raise ValidationError(_("Give a phone number so that the committee can reach you, or complain anonymously."))
    today = timezone.localdate()
    receipt = _new_receipt()
    complaint = Complaint(community=community, organization=organization, subject_user=subject_user,
                          subject_role=subject_role if subject_user is not None else "", kind=kind, text=text,
                          anonymous=anonymous, submitted_by=submitted_by, contact_name=contact_name.strip()[:50],
                          contact_phone=contact_phone, receipt_digest=digest_of(receipt), received_on=today,
                          answer_due=add_working_days(today, ANSWER_WORKING_DAYS))
    complaint.full_clean()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:  # a reference drawn twice: draw again
            complaint.pk, complaint.reference = None, Complaint._meta.get_field("reference").default()
    else:  # pragma: no cover - three collisions of 40 random bits
        raise ValidationError(_("The complaint could not be saved; please try again."))
    if not anonymous:
        audit.record(actor=submitted_by, action="supervision.complaint.submit", obj=complaint, request=request)
    title = _("A new complaint or report (%(ref)s) about %(org)s") % {"ref": complaint.reference,
                                                                      "org": organization.name}
    url = reverse("supervision:complaint", args=[complaint.pk])
    handlers = _handler_ids(complaint)
    transaction.on_commit(lambda: _notify(handlers, title=title, url=url,
                                          key=f"supervision:complaint:{complaint.pk}"))
    return complaint, receipt


def find_by_receipt(receipt: str) -> Complaint | None:
    if not receipt or len(receipt) > 40:
        return None
    return Complaint.objects.select_related("organization").filter(receipt_digest=digest_of(receipt)).first()


def _locked_complaint(complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _open(complaint) -> None:
    if complaint.status == ComplaintStatus.CONCLUDED:
        raise ValidationError(_("This complaint has been concluded."))


@transaction.atomic
def take_up(*, complaint: Complaint, by, note: str = "", request=None) -> Complaint:
    complaint = _locked_complaint(complaint)
    if complaint.status != ComplaintStatus.RECEIVED:
        raise ValidationError(_("This complaint has already been taken up."))
    complaint.status = ComplaintStatus.HANDLING
    complaint.save(update_fields=["status"])
    ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEventKind.ACCEPTED, note=note.strip(), actor=by)
    audit.record(actor=by, action="supervision.complaint.take_up", obj=complaint, request=request)
    return complaint


@transaction.atomic
def add_note(*, complaint: Complaint, note: str, reply: bool, by, request=None) -> ComplaintEvent:
    """A note for the file, or a reply the complainant reads with the receipt."""
    complaint = _locked_complaint(complaint)
    _open(complaint)
    if not note.strip():
        raise ValidationError(_("Write the note."))
    if complaint.status == ComplaintStatus.RECEIVED:
        complaint.status = ComplaintStatus.HANDLING
        complaint.save(update_fields=["status"])
    event = ComplaintEvent.objects.create(complaint=complaint, note=note.strip()[:4000], actor=by,
                                          kind=ComplaintEventKind.REPLY if reply else ComplaintEventKind.NOTE)
    audit.record(actor=by, action="supervision.complaint.note", obj=complaint, request=request,
                 detail={"reply": reply})
    return event


@transaction.atomic
def conclude(*, complaint: Complaint, conclusion: str, by, request=None) -> Complaint:
    complaint = _locked_complaint(complaint)
    _open(complaint)
    if not conclusion.strip():
        raise ValidationError(_("Write the conclusion the complainant will read."))
    complaint.status, complaint.concluded_on = ComplaintStatus.CONCLUDED, timezone.localdate()
    complaint.conclusion = conclusion.strip()[:4000]
    complaint.full_clean()
    complaint.save(update_fields=["status", "concluded_on", "conclusion"])
    ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEventKind.CONCLUDED,
                                  note=complaint.conclusion, actor=by)
    audit.record(actor=by, action="supervision.complaint.conclude", obj=complaint, request=request)
    return complaint


def reveal_contact(*, complaint: Complaint, by, request=None) -> dict:
    """The complainant's name and phone for a handler who must call back: logged. An anonymous complaint
    holds no identity, so the request is refused (and the refused attempt logged: it is written outside
    any transaction the refusal would roll back)."""
    if complaint.anonymous:
        audit.record(actor=by, action="supervision.complaint.reveal", obj=complaint, request=request,
                     success=False, detail={"refused": "anonymous"})
        raise ValidationError(_("This complaint was made anonymously: no name, phone or account was stored, so "
                                "none can be shown."), code="anonymous")
    with transaction.atomic():
        # If the audit row cannot be written, nothing is revealed.
        audit.record(actor=by, action="supervision.complaint.reveal", obj=complaint, request=request,
                     subject_user=complaint.submitted_by)
    name = complaint.contact_name or (str(complaint.submitted_by) if complaint.submitted_by_id else "")
    phone = complaint.contact_phone or (complaint.submitted_by.mobile or "" if complaint.submitted_by_id else "")
    return {"name": name, "phone": phone}
