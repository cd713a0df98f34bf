"""Point rules and the append-only points ledger.

A rule belongs to an organization and applies to its whole subtree unless a
deeper organization has its own rule for the same code (and activity kind).
A rule applies from ``effective_from``; changing a rule means closing it and
adding a new one, so past entries are never rewritten. Ledger entries are
never updated or deleted (database trigger); a correction is a reversing entry.

On PostgreSQL the ledger is partitioned by year (``core.partitions``), and PostgreSQL allows no
unique constraint there without the year: the ledger's unique keys live in ``PointEntryKey``, a
plain table a database trigger fills in the same INSERT (see its docstring).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ScopedQuerySet, fk_in_q


class RuleCode(models.TextChoices):
    SERVICE_HOUR = "service_hour", _("Service, per hour")
    ACTIVITY = "activity", _("Taking part in an activity")
    NO_SHOW = "no_show", _("Absent after signing up, without leave")
    MEETING_ATTENDANCE = "meeting_attendance", pgettext_lazy("points", "Meeting attendance")
    MEETING_ABSENCE = "meeting_absence", _("Unexcused meeting absence")
    STUDY = "study", _("Study")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed")
    TRAINING_COMPLETED = "training_completed", _("Training completed")
    REQUEST_RESOLVED = "request_resolved", _("Resident request resolved")
    WISH_FULFILLED = "wish_fulfilled", _("Small wish fulfilled")
    VISIT = "visit", _("Home visit to a paired resident")
    MANUAL_AWARD = "manual_award", _("Manual award")
    MANUAL_DEDUCTION = "manual_deduction", _("Manual deduction")
    REDEMPTION = "redemption", _("Redeemed in the points shop")
    REVERSAL = "reversal", _("Correction (reversal)")


def above_roles_q(user) -> Q:
    """Objects of the organizations on the path above (and at) each of the user's roles."""
    from gongzhi.core.scoping import active_roles, ancestor_paths
    from gongzhi.orgs.models import STEP

    paths = {p for role in active_roles(user) for p in ancestor_paths(role.organization.path, STEP)}
    return Q(organization__path__in=sorted(paths))


class PointRuleQuerySet(ScopedQuerySet):
    def public_q(self, user):
        # Rules are published: anyone may read the rules of the organizations above them.
        return above_roles_q(user)

    def effective_on(self, day):
        return self.filter(Q(effective_from__lte=day), Q(effective_to__isnull=True) | Q(effective_to__gte=day))


class PointRule(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="point_rules",
                                     verbose_name=_("organization"))
    code = models.CharField(_("rule"), max_length=32, choices=RuleCode)
    activity_kind = models.CharField(_("activity kind"), max_length=32, blank=True,
                                     help_text=_("Empty: every kind."))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    per_hour = models.BooleanField(_("per hour"), default=False)
    monthly_cap = models.DecimalField(_("monthly cap"), max_digits=8, decimal_places=1, null=True, blank=True)
    yearly_cap = models.DecimalField(_("yearly cap"), max_digits=8, decimal_places=1, null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PointRuleQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "code", "-effective_from"]
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_cap__isnull=True) | Q(monthly_cap__gte=0),
                                   name="rule_monthly_cap_not_negative"),
            models.CheckConstraint(condition=Q(yearly_cap__isnull=True) | Q(yearly_cap__gte=0),
                                   name="rule_yearly_cap_not_negative"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                                   name="rule_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.points}"

    def points_for(self, hours: Decimal | None) -> Decimal:
        if self.per_hour:
            return (self.points * (hours or Decimal(0))).quantize(Decimal("0.1"))
        return self.points


class PointEntryQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    # Entries earned in the user's subtrees and entries of members whose membership is held there
    # (a co-building unit sees what its members earn in the communities); one's own (own_q).
    also_scope_paths = ("member__home_org__path",)

    def own_q(self, user):
        return fk_in_q(self.model, "member__user", user)

    def for_year(self, year: int):
        return self.filter(occurred_on__year=year)


class PointEntry(models.Model):
    """One line of the ledger: never updated, never deleted."""

    # No index of their own for the member, the organization and the day: the composite indexes below lead with
    # each (every insert maintains every index, and the QR check-in inserts one entry per member).
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="point_entries",
                               db_index=False, verbose_name=_("member"))
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization"),
        help_text=_("The organization the points were earned in (for scoping and rankings)."), db_index=False,
    )
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=1)
    code = models.CharField(_("rule"), max_length=32, choices=RuleCode)
    rule = models.ForeignKey(PointRule, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    source_type = models.CharField(_("source"), max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    # Unique through PointEntryKey (the trigger refuses a second entry with the same key).
    idempotency_key = models.CharField(max_length=160, db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    occurred_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # At most one reversal per entry, and only of an existing entry: PointEntryKey (no database
    # constraint on the partitioned table itself).
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, db_constraint=False,
                                 related_name="reversed_by", verbose_name=_("reverses"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("posted by"))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    objects = PointEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes = [
            models.Index(fields=["member", "occurred_on"]),
            models.Index(fields=["organization", "occurred_on"]),
            # The ledger's keyset pages (newest first: date, then id) read straight from this index and
            # stop after one page; on the date alone every entry of the first day is sorted by id.
            models.Index(fields=["occurred_on", "id"], name="entry_day_id"),
            # The few redemptions, for "points awarded" (net of reversed redemptions): its NOT EXISTS reads
            # them from this small index instead of scanning the whole ledger for them.
            models.Index(fields=["id"], condition=models.Q(code="redemption"), name="entry_redemption"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+}"


class PointEntryKey(models.Model):
    """The ledger's unique keys, in a plain (not partitioned) table: one row per entry, written by a
    database trigger on every insert into the ledger (bulk inserts and COPY included) in the same
    statement, so an entry and its key row exist together or not at all.

    - ``idempotency_key`` unique: a double submission is recorded once (the second INSERT fails and
      ``post_points`` returns the first entry);
    - ``reverses`` unique: an entry is reversed at most once; on PostgreSQL a foreign key to
      ``entry`` makes it name an existing entry (a trigger on SQLite);
    - ``entry`` is the key the redemptions and manual awards reference with a real foreign key on
      PostgreSQL (the partitioned ledger's primary key is (id, occurred_on)).

    Append-only like the ledger.
    """

    entry = models.OneToOneField(PointEntry, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="key")
    idempotency_key = models.CharField(max_length=160, unique=True)
    reverses = models.OneToOneField(PointEntry, null=True, blank=True, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="+")

    class Meta:
        verbose_name = _("points entry key")
        verbose_name_plural = _("points entry keys")

    def __str__(self) -> str:
        return self.idempotency_key


class OrgPointsSettings(models.Model):
    """Per-organization switches for points (applies to the organization's subtree)."""

    organization = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="points_settings",
                                        verbose_name=_("organization"))
    rankings_visible_to_members = models.BooleanField(_("members see their own rank"), default=False)

    class Meta:
        verbose_name = _("points settings")
        verbose_name_plural = _("points settings")

    def __str__(self) -> str:
        return str(self.organization)


class RewardQuerySet(ScopedQuerySet):
    def public_q(self, user):
        # Members and residents see the shop of the organizations above them.
        return above_roles_q(user) & Q(is_active=True)


class Reward(models.Model):
    """An item of the points shop, offered by an organization to the members below it."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="rewards",
                                     verbose_name=_("organization"))
    name = models.CharField(_("name"), max_length=100)
    price = models.DecimalField(_("price in points"), max_digits=7, decimal_places=1)
    stock = models.IntegerField(_("stock"))
    is_active = models.BooleanField(_("on offer"), default=True)

    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["price", "name"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="reward_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="reward_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class RedemptionQuerySet(ScopedQuerySet):
    scope_path = "reward__organization__path"

    def own_q(self, user):
        return Q(member__user=user)


class Redemption(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="redemptions",
                               verbose_name=_("member"))
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward"))
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=1)
    idempotency_key = models.CharField(max_length=80, unique=True)
    # A foreign key to PointEntryKey on PostgreSQL, a trigger on SQLite (the ledger is partitioned).
    entry = models.OneToOneField(PointEntry, on_delete=models.PROTECT, related_name="redemption", db_constraint=False)
    created_at = models.DateTimeField(_("redeemed at"), auto_now_add=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("handed over by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = RedemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        constraints = [models.CheckConstraint(condition=Q(handed_over_at__isnull=True) | Q(cancelled_at__isnull=True),
                                              name="redemption_handed_or_cancelled")]

    def __str__(self) -> str:
        return f"{self.member} {self.reward}"

    @property
    def state(self) -> str:
        if self.cancelled_at:
            return "cancelled"
        return "handed_over" if self.handed_over_at else "waiting"


class AwardStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("points", "Rejected")


class ManualAwardQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def own_q(self, user):
        return Q(member__user=user, status=AwardStatus.APPROVED)


class ManualAward(models.Model):
    """A manual award or deduction: proposed by one staff member, posted to the ledger only when a
    second one approves it (a database constraint keeps the two apart)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="manual_awards",
                               verbose_name=_("member"))
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=AwardStatus, default=AwardStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # A foreign key to PointEntryKey on PostgreSQL, a trigger on SQLite (the ledger is partitioned).
    entry = models.OneToOneField(PointEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 db_constraint=False)

    objects = ManualAwardQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("manual award or deduction")
        verbose_name_plural = _("manual awards and deductions")
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="manual_award_not_zero"),
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                                   name="manual_award_second_person"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points}"

    @property
    def audit_organization(self):
        return self.organization


class PointTotalQuerySet(ScopedQuerySet):
    """A member's totals lie where his or her membership is held: every entry they count is in the ledger
    the same roles see (``PointEntryQuerySet.also_scope_paths``)."""

    scope_path = "member__home_org__path"

    def own_q(self, user):
        return fk_in_q(self.model, "member__user", user)


class PointTotal(models.Model):
    """A member's points per month (``month`` 1-12) and per year (``month`` 0), kept by a database
    trigger on every ledger insert (bulk inserts included), in the same transaction.

    Rankings read it instead of summing millions of entries; ``gongzhi points verify`` compares
    it with the ledger and ``gongzhi points rebuild_totals`` rebuilds it from the ledger.
    """

    member = models.ForeignKey("members.Member", on_delete=models.DO_NOTHING, related_name="point_totals",
                               verbose_name=_("member"))
    year = models.SmallIntegerField(_("year"))
    month = models.SmallIntegerField(_("month"), help_text=_("0: the whole year."))
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=1)
    entries = models.IntegerField(_("entries"))

    objects = PointTotalQuerySet.as_manager()

    class Meta:
        verbose_name = _("points total")
        verbose_name_plural = _("points totals")
        constraints = [models.UniqueConstraint(fields=["member", "year", "month"], name="point_total_unique")]
        indexes = [
            models.Index(fields=["year", "month", "member"], name="point_total_period"),
            # A member's year rows (one a year), for the API's bound on a ledger list's length (points.api):
            # one index probe per member instead of reading his or her thirteen rows a year.
            models.Index(fields=["member"], condition=models.Q(month=0), name="point_total_year_rows"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}-{self.month}: {self.points}"


class RulesVersion(models.Model):
    """One row (id 1) whose number changes with every statement that adds, changes or removes point rules: kept by
    database triggers (``points.rules``), so that a process may keep the rules in force it read for as long as the
    number stays the same. A number is never given twice (a sequence on PostgreSQL, a random one on SQLite), so a
    rolled-back change can never make an old number name other rules."""

    version = models.BigIntegerField()

    class Meta:
        verbose_name = _("point rules' version")
        verbose_name_plural = _("point rules' versions")

    def __str__(self) -> str:
        return str(self.version)


class RuleGroupTotal(models.Model):
    """A member's points from the rules of one code at one organization (what a rule's caps count: its *group*), per
    month (``month`` 1-12) and per year (``month`` 0); a reversal takes its entry's points off. Kept by a database
    trigger on every ledger insert, in the same statement (``points.caps``); a capped posting reads and locks its
    group's rows instead of summing the ledger. ``gongzhi points verify`` compares it with the ledger and
    ``gongzhi points rebuild_totals`` rebuilds it."""

    # The unique constraint's index leads with the member: no index of its own.
    member = models.ForeignKey("members.Member", on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                               verbose_name=_("member"))
    organization = models.ForeignKey("orgs.Organization", on_delete=models.DO_NOTHING, related_name="+",
                                     verbose_name=_("organization"))
    code = models.CharField(_("rule"), max_length=32, choices=RuleCode)
    year = models.SmallIntegerField(_("year"))
    month = models.SmallIntegerField(_("month"), help_text=_("0: the whole year."))
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=1)

    class Meta:
        verbose_name = _("points of a rule group")
        verbose_name_plural = _("points of rule groups")
        constraints = [models.UniqueConstraint(fields=["member", "organization", "code", "year", "month"],
                                               name="rule_group_total_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.organization_id}/{self.code} {self.year}-{self.month}: {self.points}"
