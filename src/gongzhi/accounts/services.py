"""Every write to accounts and roles: creating an account (for a person in the registry or an outside person),
one-time activation codes, activation, deactivation, granting and ending roles. Keyword-only, one
transaction, the audit row in the same transaction.

Granting is checked here as well as at the edge, because it is the rule the whole separation of duties
stands on: a role only at or below the grantor's own organization, only of a kind that fits it, never above
the grantor's own role, never to oneself, and never the security administrator's and the auditor's duties
in one person."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.fields import lookup
from gongzhi.core.pinyin import initials
from gongzhi.core.scoping import forget_roles

from .models import ActivationCode, CodePurpose, Role, RoleKind, User, mobile_validator
from .permissions import SEPARATED, can_grant

CODE_VALID_DAYS = 7
CODE_MAX_FAILURES = 5
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper without doubt
CODE_LENGTH = 8


@dataclass(frozen=True)
class IssuedCode:
    """A code as issued: the plain code exists only in this object, for the slip."""

    user: User
    code: str
    expires_at: object
    purpose: str


def normalise_code(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())[:32]


def _hash(code: str) -> str:
    key = hashlib.sha256(f"gongzhi-activation:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def live_codes(user):
    return ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True,
                                         expires_at__gt=timezone.now())


@transaction.atomic
def issue_code(*, user: User, purpose: str = CodePurpose.ACTIVATE, by, request=None) -> IssuedCode:
    """A new one-time code for ``user`` (any earlier code stops working). A reset also locks the old password
    out, so that whoever knew it cannot go on using it."""
    if not user.is_active:
        raise ValidationError(_("The account of %(name)s is deactivated.") % {"name": user})
    now = timezone.now()
    ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    code = _new_code()
    row = ActivationCode.objects.create(user=user, purpose=purpose, code_hash=_hash(code), created_by=by,
                                        expires_at=now + timedelta(days=CODE_VALID_DAYS))
    if purpose == CodePurpose.RESET:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    audit.record(actor=by, action=f"accounts.code.{purpose}", obj=user, subject_user=user, request=request,
                 organization=user.home_organization, detail={"expires": row.expires_at.date().isoformat()})
    return IssuedCode(user=user, code=code, expires_at=row.expires_at, purpose=purpose)


def activate(*, login: str, code: str, password: str, request=None) -> User:
    """Set the password of the account named ``login`` (username or mobile number) with its one-time code.

    The same message answers an unknown account, a wrong, used or expired code: nobody learns which
    accounts exist. Each wrong code counts against the account's live code, which is void after five."""
    refused = ValidationError(_("The account or the code is not right, or the code has expired or was used. Ask "
                                "the person who gave you the slip for a new code."))
    login = (login or "").strip()
    with transaction.atomic():
        user = (User.objects.filter(Q(username=login) | lookup(User, "mobile", login), is_active=True).first()
                if login else None)
        row = live_codes(user).select_for_update().first() if user is not None else None
        if row is not None and hmac.compare_digest(row.code_hash, _hash(code)):
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from exc
            user.set_password(password)
            user.save(update_fields=["password"])
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            audit.record(actor=user, action="accounts.user.activate", obj=user, subject_user=user, request=request,
                         organization=user.home_organization, detail={"purpose": row.purpose})
            return user
        if row is not None:
            row.failures += 1
            if row.failures >= CODE_MAX_FAILURES:
                row.revoked_at = timezone.now()
            row.save(update_fields=["failures", "revoked_at"])
            audit.record(actor=None, action="accounts.user.activate", obj=user, subject_user=user, request=request,
                         organization=user.home_organization, success=False,
                         detail={"failures": row.failures, "revoked": row.revoked_at is not None})
    raise refused


def _username_for(name: str) -> str:
    stem = initials(name) or "u"
    stem = re.sub(r"[^a-z0-9]", "", stem)[:20] or "u"
    for _attempt in range(50):
        candidate = f"{stem}{secrets.randbelow(9000) + 1000}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    raise ValidationError(_("No free username could be found; give one."))


def _usable_mobile(mobile: str, *, strict: bool) -> str | None:
    mobile = re.sub(r"\D", "", mobile or "")
    if not mobile:
        return None
    try:
        mobile_validator(mobile)
    except ValidationError:
        if strict:
            raise ValidationError({"mobile": _("A mobile number has 11 digits and starts with 1.")}) from None
        return None
    if User.objects.filter(lookup(User, "mobile", mobile)).exists():
        if strict:
            raise ValidationError({"mobile": _("This mobile number already belongs to another account.")})
        return None
    return mobile


@transaction.atomic
def create_account(*, home_organization, display_name: str = "", mobile: str = "", member=None, resident=None,
                   role_kind: str = "", role_organization=None, username: str = "", by, request=None,
                   locked: bool = False) -> User:
    """An account for a person in the registry (a member or a resident: name and mobile number are taken from
    the record, nothing is typed twice) or for an outside person, with an unusable password until the person
    activates it, and optionally a first role."""
    person = member or resident
    if person is not None:
        if not locked:  # the bulk path locks every row at once
            person = type(person).objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise ValidationError(_("%(name)s already has an account.") % {"name": person.name})
        display_name = person.name
        mobile = getattr(person, "mobile", "") or getattr(person, "phone", "")
        mobile = _usable_mobile(mobile, strict=False)
    else:
        display_name = (display_name or "").strip()
        if not display_name:
            raise ValidationError({"display_name": _("Give the person's name.")})
        mobile = _usable_mobile(mobile, strict=True)
    username = (username or "").strip() or _username_for(display_name)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("The username %(name)s is already taken.") % {"name": username}})
    user = User(username=username, display_name=display_name[:50], mobile=mobile,
                home_organization=home_organization)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if person is not None:
        type(person).objects.filter(pk=person.pk).update(user=user)
    audit.record(actor=by, action="accounts.user.create", obj=user, subject_user=user, request=request,
                 organization=home_organization,
                 detail={"for": person._meta.label_lower if person is not None else "outside"})
    if role_kind:
        grant_role(user=user, kind=role_kind, organization=role_organization or home_organization,
                   starts_on=timezone.localdate(), by=by, request=request)
    return user


@transaction.atomic
def grant_role(*, user: User, kind: str, organization, starts_on: date, ends_on: date | None = None, by,
               request=None) -> Role:
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Choose a role.")})
    label = RoleKind(kind).label
    if user.pk == getattr(by, "pk", None):
        raise ValidationError(_("Nobody grants a role to himself or herself: ask another administrator."))
    if not can_grant(by, kind, organization):
        raise ValidationError({"kind": _("You cannot grant the role %(role)s at %(org)s: it is above your own role, "
                                         "outside your organizations, or not held at this kind of "
                                         "organization.") % {"role": label, "org": organization}})
    if not user.is_active:
        raise ValidationError(_("The account of %(name)s is deactivated.") % {"name": user})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A role cannot end before it starts.")})
    held = Role.objects.filter(user=user).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if kind in SEPARATED and held.filter(kind__in=SEPARATED - {kind}).exists():
        raise ValidationError({"kind": _("The security administrator and the auditor must be different people: "
                                         "%(name)s already holds the other duty.") % {"name": user}})
    overlap = held.filter(kind=kind, organization=organization)
    if ends_on is not None:
        overlap = overlap.filter(starts_on__lte=ends_on)
    if overlap.exists():
        raise ValidationError({"kind": _("%(name)s already holds this role at %(org)s in that period.") % {
            "name": user, "org": organization}})
    role = Role.objects.create(user=user, kind=kind, organization=organization, starts_on=starts_on,
                               ends_on=ends_on)
    forget_roles(user)
    audit.record(actor=by, action="accounts.role.grant", obj=role, subject_user=user, organization=organization,
                 request=request, detail={"kind": kind, "from": starts_on.isoformat(),
                                          "until": ends_on.isoformat() if ends_on else ""})
    return role


def _end(role: Role, on: date) -> date:
    return max(on, role.starts_on)


@transaction.atomic
def end_role(*, role: Role, on: date, by, request=None) -> Role:
    role = Role.objects.select_for_update().select_related("organization", "user").get(pk=role.pk)
    if role.user_id == getattr(by, "pk", None):
        raise ValidationError(_("Nobody ends his or her own role here: ask another administrator."))
    if not can_grant(by, role.kind, role.organization):
        raise ValidationError(_("You cannot end a role you could not grant."))
    if role.ends_on is not None and role.ends_on < on:
        raise ValidationError(_("This role already ended on %(day)s.") % {"day": role.ends_on.isoformat()})
    role.ends_on = _end(role, on)
    role.save(update_fields=["ends_on"])
    forget_roles(role.user)
    audit.record(actor=by, action="accounts.role.end", obj=role, subject_user=role.user,
                 organization=role.organization, request=request, detail={"until": role.ends_on.isoformat()})
    return role


def end_roles_at(*, organization, on: date, by, request=None) -> int:
    """End every role in force at ``organization`` on ``on`` (it is being closed). Part of the caller's
    transaction."""
    ended = 0
    for role in Role.objects.select_for_update().filter(organization=organization).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on)):
        role.ends_on = _end(role, on)
        role.save(update_fields=["ends_on"])
        audit.record(actor=by, action="accounts.role.end", obj=role, subject_user=role.user,
                     organization=organization, request=request, detail={"until": role.ends_on.isoformat(),
                                                                         "reason": "organization closed"})
        ended += 1
    return ended


@transaction.atomic
def deactivate_account(*, user: User, by, request=None) -> User:
    """Stop an account: it cannot log in (its sessions end at the next request), its codes stop working and
    its roles end today. The account, its roles and everything it did stay on record."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == getattr(by, "pk", None):
        raise ValidationError(_("Nobody deactivates his or her own account here: ask another administrator."))
    if not user.is_active:
        raise ValidationError(_("The account of %(name)s is already deactivated.") % {"name": user})
    today = timezone.localdate()
    user.is_active = False
    user.save(update_fields=["is_active"])
    ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    for role in Role.objects.select_for_update().filter(user=user).filter(Q(ends_on__isnull=True)
                                                                          | Q(ends_on__gt=today)):
        role.ends_on = _end(role, today)
        role.save(update_fields=["ends_on"])
    forget_roles(user)
    audit.record(actor=by, action="accounts.user.deactivate", obj=user, subject_user=user, request=request,
                 organization=user.home_organization)
    return user


def accountless_members(branch):
    """Current members held in ``branch``'s subtree who have no account yet, by name."""
    member_model = apps.get_model("members", "Member")
    return (member_model.objects.current().held_in(branch).filter(user__isnull=True)
            .select_related("home_org").order_by("name", "pk"))


@transaction.atomic
def create_branch_accounts(*, branch, by, request=None) -> list[IssuedCode]:
    """An account (with the party member role at the organization holding the membership) and an activation
    code for every member of ``branch`` who has none, in one step: all or nothing."""
    issued = []
    for member in accountless_members(branch).select_for_update(of=("self",)):
        user = create_account(home_organization=member.home_org, member=member, role_kind=RoleKind.MEMBER,
                              role_organization=member.home_org, by=by, request=request, locked=True)
        issued.append(issue_code(user=user, purpose=CodePurpose.ACTIVATE, by=by, request=request))
    audit.record(actor=by, action="accounts.user.bulk_create", obj=branch, organization=branch, request=request,
                 detail={"accounts": len(issued)})
    return issued


@transaction.atomic
def toggle_large_text(*, user) -> bool:
    """Switch the large-text, simple mode for elderly users on or off; returns the new setting.
    A display preference of one's own: no audit row (nothing of anyone else's changes)."""
    from gongzhi.core.services import model_update

    model_update(instance=user, fields=["large_text"], data={"large_text": not user.large_text}, clean=False)
    return user.large_text
