"""Users and roles. A role is held at an organization and covers its subtree."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

mobile_validator = RegexValidator(r"^1\d{10}$", _("A mobile number has 11 digits and starts with 1."))


class User(AbstractUser):
    """An account. ``display_name`` is the person's real name (Chinese names have no first/last split)."""

    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, null=True, unique=True, validators=[mobile_validator]
    )
    large_text = models.BooleanField(
        _("large text"), default=False, help_text=_("A larger, simpler display for elderly users.")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


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
