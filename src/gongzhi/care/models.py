"""Care for residents in need: sensitive care tags, member↔resident pairings and visit logs."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.fields import BlindIndexField, EncryptedCharField, SealedModel
from gongzhi.core.scoping import ScopedQuerySet, fk_in_q

#: Care records are sensitive: only community-level staff and above open them (not branch
#: secretaries or supervisors; the paired member sees his or her own).
STAFF_ROLES = frozenset(RoleKind.staff_kinds())


class CareKind(models.TextChoices):
    LIVING_ALONE = "alone", _("Elderly living alone")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly")
    DISABILITY = "disability", _("Person with a disability")
    LOW_INCOME = "low_income", _("Subsistence allowance household")
    LEFT_BEHIND = "left_behind", _("Left-behind child")
    ILLNESS = "illness", _("Serious illness")
    OTHER = "other", _("Other difficulty")


class CareTagQuerySet(ScopedQuerySet):
    """Sensitive: staff covering the community, and the member paired with the resident."""

    scope_path = "resident__community__path"
    scope_roles = STAFF_ROLES

    def own_q(self, user):
        paired = Pairing.objects.filter(member__user=user, ended_on__isnull=True).values("resident")
        return Q(resident__in=paired)


class CareTag(SealedModel):
    """A resident's care need. The kind (elderly living alone, disability, low income…) is vulnerability
    status, sensitive under PIPL: it is stored encrypted, and its keyed blind index carries what needs
    equality (one tag per resident and kind, the registry's filter, counts by kind: :func:`count_by_kind`).
    Ordering by kind happens in Python (:func:`by_kind`)."""

    resident = models.ForeignKey("members.Resident", on_delete=models.CASCADE, related_name="care_tags",
                                 verbose_name=_("resident"))
    kind = EncryptedCharField(_("care need"), max_length=16, choices=CareKind)
    kind_bidx = BlindIndexField(source="kind", kind="code")
    note = EncryptedCharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareTagQuerySet.as_manager()

    class Meta:
        ordering = ["resident", "id"]
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")
        constraints = [models.UniqueConstraint(fields=["resident", "kind_bidx"], name="care_tag_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def audit_organization(self):
        return self.resident.community


#: The order of the kinds on pages and in the API (the code's, as SQL ordered them when the kind was plain).
KIND_ORDER = {code: rank for rank, code in enumerate(sorted(CareKind.values))}


def by_kind(tags) -> list:
    """Tags in the order of their kind (decrypted values, sorted in Python: SQL cannot order sealed text)."""
    return sorted(tags, key=lambda t: (KIND_ORDER.get(t.kind, len(KIND_ORDER)), t.pk or 0))


def kind_of_index() -> dict[str, str]:
    """Each of the seven codes' blind indexes (current and, during a change of cipher, previous) → the code."""
    from gongzhi.core import crypto

    return {index: code for code in CareKind.values for index in crypto.blind_indexes("code", code)}


def count_by_kind(tags) -> dict[str, int]:
    """How many of ``tags`` (a queryset) have each kind: grouped by the blind index in SQL, each of the seven
    codes' index values mapped back in Python (nothing decrypted)."""
    names = kind_of_index()
    counts: dict[str, int] = dict.fromkeys(CareKind.values, 0)
    for index, n in tags.order_by().values("kind_bidx").annotate(n=models.Count("pk")).values_list("kind_bidx", "n"):
        if index in names:
            counts[names[index]] += n
    return counts


class PairingQuerySet(ScopedQuerySet):
    """Staff covering the resident's community, the paired member, the paired unit's administrator."""

    scope_path = "resident__community__path"
    scope_roles = STAFF_ROLES
    extra_scopes = (("unit__organization__path", frozenset({RoleKind.UNIT_ADMIN})),)

    def own_q(self, user):
        return fk_in_q(self.model, "member__user", user)


class Pairing(models.Model):
    """结对帮扶: a party member, or a co-building unit, looks after a resident in need, visiting every
    ``frequency_days`` days."""

    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="care_pairings", verbose_name=_("party member"))
    unit = models.ForeignKey("orgs.CoBuildingUnit", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="care_pairings", verbose_name=_("co-building unit"))
    resident = models.ForeignKey("members.Resident", on_delete=models.CASCADE, related_name="care_pairings",
                                 verbose_name=_("resident"))
    frequency_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["resident", "id"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(fields=["member", "resident"], condition=Q(ended_on__isnull=True),
                                    name="care_pairing_active_unique"),
            models.UniqueConstraint(fields=["unit", "resident"], condition=Q(ended_on__isnull=True),
                                    name="care_unit_pairing_active_unique"),
            models.CheckConstraint(condition=Q(member__isnull=False, unit__isnull=True)
                                   | Q(member__isnull=True, unit__isnull=False), name="care_pairing_one_carer"),
        ]

    def __str__(self) -> str:
        return f"{self.carer_name} → {self.resident}"

    @property
    def carer_name(self) -> str:
        return self.member.name if self.member_id else self.unit.name

    @property
    def audit_organization(self):
        return self.resident.community

    def next_due(self, last_visit):
        return (last_visit or self.started_on) + timedelta(days=self.frequency_days)


class Visit(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    note = EncryptedCharField(_("what was done"), max_length=1000, blank=True)
    need = EncryptedCharField(_("needs found"), max_length=500, blank=True)
    wish = models.ForeignKey("voice.Wish", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("small wish made of the need"))
    request = models.ForeignKey("voice.Request", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("request made of the need"))
    key = models.CharField(max_length=64, null=True, blank=True, unique=True,
                           help_text=_("Sent by a phone with the visit, so that a retry records it once."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        # A pairing's last visit (the care list's "next due") and visits in a period (activation).
        indexes = [models.Index(fields=["pairing", "visited_on"], name="visit_pairing_day")]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.visited_on}"
