"""Users and roles. A role is held at an organization and covers its subtree."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import BlindIndexField, EncryptedCharField, SealedModel

from .scope_version import new_version

mobile_validator = RegexValidator(r"^1\d{10}$", _("A mobile number has 11 digits and starts with 1."))


class UserQuerySet(models.QuerySet):
    def managed_by(self, user):
        """Accounts the user looks after: managed by, or holding a role (in force or past) at, an
        organization where the user may manage accounts. Superusers are nobody's to manage."""
        from gongzhi.core.scoping import subtree_q

        from .permissions import MANAGE_ACCOUNTS

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.exclude(is_superuser=True)
        paths = MANAGE_ACCOUNTS.paths(user)
        if not paths:
            return self.none()
        inner = User.objects.filter(subtree_q("home_organization__path", paths)
                                    | subtree_q("roles__organization__path", paths))
        return self.filter(pk__in=inner.values("pk")).exclude(is_superuser=True)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(username__icontains=text) | Q(display_name__icontains=text))


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(SealedModel, AbstractUser):
    """An account. ``display_name`` is the person's real name (Chinese names have no first/last split)."""

    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    mobile = EncryptedCharField(
        _("mobile number"), max_length=11, blank=True, null=True, validators=[mobile_validator]
    )
    mobile_bidx = BlindIndexField(source="mobile", kind="phone", unique=True)
    large_text = models.BooleanField(
        _("large text"), default=False, help_text=_("A larger, simpler display for elderly users.")
    )
    #: Replaced by database triggers whenever the account's own records change where it belongs
    #: (``accounts.scope_version``, ``members.scope_triggers``).
    scope_version = models.BigIntegerField(default=new_version, editable=False)
    home_organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("managed by"),
        help_text=_("The organization whose staff and security administrator look after this account."),
    )

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # Once the row exists the triggers own ``scope_version``: a whole save of an account read before its records
        # moved (a profile edit, an activation) must not write its old number back over the one the move drew.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "scope_version"]
        return super().save(*args, **kwargs)


class RoleKind(models.TextChoices):
    STREET_ADMIN = "street_admin", _("Street administrator")
    COMMUNITY_SECRETARY = "community_secretary", _("Community secretary")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    GROUP_LEADER = "group_leader", _("Party group leader")
    UNIT_ADMIN = "unit_admin", _("Co-building unit")
    SUPERVISOR = "supervisor", _("Supervisor")
    TREASURER = "treasurer", _("Dues and funds clerk")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    MEMBER = "member", _("Party member")
    RESIDENT = "resident", _("Resident")

    @classmethod
    def subtree_kinds(cls) -> set[str]:
        """Roles that open the organization's subtree to read its records: all but the personal ones,
        the dues and funds clerk (who reaches dues and funds only, through the money app's
        capabilities) and the MLPS separation-of-duties roles (accounts and roles, or the audit log)."""
        return {cls.STREET_ADMIN, cls.COMMUNITY_SECRETARY, cls.COMMUNITY_STAFF, cls.BRANCH_SECRETARY,
                cls.GROUP_LEADER, cls.UNIT_ADMIN, cls.SUPERVISOR}

    @classmethod
    def managing_kinds(cls) -> set[str]:
        """Roles that may change records in their subtree (the supervisor only reads)."""
        return cls.subtree_kinds() - {cls.SUPERVISOR}

    @classmethod
    def staff_kinds(cls) -> set[str]:
        """Community-level and above staff: run everything for their subtree."""
        return {cls.STREET_ADMIN, cls.COMMUNITY_SECRETARY, cls.COMMUNITY_STAFF}

    @classmethod
    def duty_separated_kinds(cls) -> set[str]:
        """MLPS level 3 separation of duties: the security administrator manages accounts and roles
        and sees no personal data; the auditor reads the audit log and changes nothing."""
        return {cls.SECURITY_ADMIN, cls.AUDITOR}


class RoleQuerySet(models.QuerySet):
    def active(self, on: date):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Role(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="roles", verbose_name=_("organization")
    )
    kind = models.CharField(_("role"), max_length=32, choices=RoleKind)
    starts_on = models.DateField(_("from"), default=date.today)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        indexes = [models.Index(fields=["user", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.organization}"


class CodePurpose(models.TextChoices):
    ACTIVATE = "activate", _("First activation")
    RESET = "reset", _("Password reset")


class ActivationCode(models.Model):
    """A one-time code with which a person sets his or her password (first login or after a reset).

    Only a keyed hash is stored: the code itself is shown once, on the printed slip. A code is valid for
    ``CODE_VALID_DAYS``, used once, replaced by the next one issued to the same account, and void after
    ``CODE_MAX_FAILURES`` wrong tries (whatever the address they came from)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes",
                             verbose_name=_("user"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=CodePurpose)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {self.expires_at:%Y-%m-%d}"
