"""Dues and activity funds.

Dues (党费): the brackets and fixed amounts are data with the date they take effect (``DuesRate``: a change
adds rows from a date and never rewrites a past month); each member's income base is declared once a year
(``DuesBase``, sensitive); payments go to the append-only ``DuesPayment`` ledger, one live payment per member
and month (a unique constraint), corrected by a reversing entry; a branch hands its collected dues over to
the level above (``DuesHandover``), which confirms receipt.

Funds (活动经费): per organization and year, budget lines by source and purpose (``BudgetLine``, with what
has been spent cached under ``CHECK (0 <= spent <= amount)``); expenditures (``Expenditure``) with their
receipt, approved by a second person above a configurable amount (``FundsSettings``); what counts is the
append-only ``FundsEntry`` ledger, corrected by reversing entries.

Money is ``DecimalField(decimal_places=2)`` everywhere, never a float.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import EncryptedDecimalField
from gongzhi.core.scoping import ScopedQuerySet

#: The largest amount any form or import accepts for one month's dues or one expenditure (yuan).
MAX_AMOUNT = Decimal("1000000.00")
#: A voluntary payment of at least this much is flagged for the branch's attention (yuan).
LARGE_VOLUNTARY = Decimal("1000.00")


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


# --- dues: brackets and bases ----------------------------------------------------------------------------


class Basis(models.TextChoices):
    """What a member's monthly dues follow (the 2008 rules)."""

    SALARY = "salary", _("Regular after-tax monthly income")
    PENSION = "pension", _("Monthly pension")
    RURAL = "rural", _("Rural member (fixed amount)")
    STUDENT = "student", _("Student (fixed amount)")
    UNEMPLOYED = "unemployed", _("Unemployed (fixed amount)")
    WELFARE = "welfare", _("On welfare (fixed amount)")

    @classmethod
    def needs_amount(cls, basis: str) -> bool:
        return basis in (cls.SALARY, cls.PENSION)


class DuesRateQuerySet(models.QuerySet):
    def schedule(self, basis: str, month):
        """The brackets of ``basis`` in force in ``month``: the rows of the latest date not after it."""
        latest = (self.filter(basis=basis, effective_from__lte=month).order_by("-effective_from")
                  .values_list("effective_from", flat=True).first())
        if latest is None:
            return self.none()
        return self.filter(basis=basis, effective_from=latest).order_by(F("up_to").asc(nulls_last=True))


class DuesRate(models.Model):
    """One bracket (a percentage of the base up to ``up_to``; ``None``: above every other) or one fixed
    monthly amount, in force from ``effective_from`` until rows of the same basis with a later date."""

    basis = models.CharField(_("basis"), max_length=16, choices=Basis)
    up_to = money_field(_("up to (yuan a month)"), null=True, blank=True)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    fixed = money_field(_("fixed amount (yuan a month)"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = DuesRateQuerySet.as_manager()

    class Meta:
        ordering = ["basis", "-effective_from", F("up_to").asc(nulls_last=True)]
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues rates")
        constraints = [
            models.CheckConstraint(condition=(Q(percent__isnull=False) & Q(fixed__isnull=True))
                                   | (Q(percent__isnull=True) & Q(fixed__isnull=False)),
                                   name="money_rate_percent_or_fixed"),
            models.CheckConstraint(condition=Q(percent__isnull=True) | (Q(percent__gt=0) & Q(percent__lte=100)),
                                   name="money_rate_percent_range"),
            models.CheckConstraint(condition=Q(fixed__isnull=True) | Q(fixed__gte=0), name="money_rate_fixed_positive"),
            models.UniqueConstraint(fields=["basis", "effective_from", "up_to"], name="money_rate_unique_bracket"),
        ]

    def __str__(self) -> str:
        if self.fixed is not None:
            return f"{self.get_basis_display()}: {self.fixed}"
        return f"{self.get_basis_display()} ≤ {self.up_to or '∞'}: {self.percent}%"


class DuesBaseQuerySet(ScopedQuerySet):
    scope_path = "member__home_org__path"

    def visible_to(self, user):
        """Only the branch's dues staff and the member: nobody else, whatever the role above."""
        from .permissions import RECORD_DUES

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(RECORD_DUES.q(user, "member__home_org__path", "member__home_org__kind")
                           | Q(member__user=user))


class DuesBase(models.Model):
    """A member's income base for a year: declared by the member or entered by the branch."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_bases",
                               verbose_name=_("party member"))
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.CharField(_("basis"), max_length=16, choices=Basis)
    # Sensitive: stored encrypted (core.fields), so its range is a validator, not a CHECK constraint.
    amount = EncryptedDecimalField(_("monthly income base"), max_digits=12, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
                                   help_text=_("Regular after-tax monthly income, or the monthly pension."))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField(auto_now=True)

    objects = DuesBaseQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="money_base_once_a_year"),
            models.CheckConstraint(condition=~Q(basis__in=["salary", "pension"]) | Q(amount__isnull=False),
                                   name="money_base_amount_when_needed"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

    @property
    def audit_organization(self):
        return self.member.home_org


# --- dues: the ledger ------------------------------------------------------------------------------------


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", pgettext_lazy("payment", "Transfer")
    STATEMENT = "statement", _("Bank or payment statement")


class DuesPaymentQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def visible_to(self, user):
        """The dues of the organizations the user reads dues in, and one's own."""
        from .permissions import READ_DUES

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(READ_DUES.q(user, "organization__path", "organization__kind") | Q(member__user=user))

    def live(self):
        """Payments not reversed (what counts as paid)."""
        return self.filter(reverses__isnull=True, reversed_by__isnull=True)


class DuesPayment(models.Model):
    """One line of the dues ledger: a month's payment, or (``reverses``) its reversal. Never updated or deleted."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_payments",
                               verbose_name=_("party member"))
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("collected by"))
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = money_field(_("amount"))
    due = money_field(pgettext_lazy("dues", "due"), null=True, blank=True,
                      help_text=_("What the rates asked for the month."))
    voluntary = money_field(_("paid voluntarily"), default=Decimal("0.00"))
    large_voluntary = models.BooleanField(_("large voluntary payment"), default=False)
    method = models.CharField(_("paid by"), max_length=16, choices=Method, default=Method.CASH)
    paid_on = models.DateField(_("paid on"))
    paid_for_by = models.CharField(_("paid on the member's behalf by"), max_length=50, blank=True,
                                   help_text=_("代缴: who paid for a member who is away."))
    attempt = models.PositiveSmallIntegerField(default=1, editable=False)
    key = models.CharField(max_length=120, unique=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by", verbose_name=_("reverses"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DuesPaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        indexes = [models.Index(fields=["organization", "month"]), models.Index(fields=["member", "month"])]
        constraints = [
            # One live payment per member and month: a reversal frees the month for the next attempt.
            models.UniqueConstraint(fields=["member", "month", "attempt"], condition=Q(reverses__isnull=True),
                                    name="money_one_payment_per_member_month"),
            models.CheckConstraint(condition=Q(reverses__isnull=False) | (Q(amount__gt=0) & Q(amount__lte=MAX_AMOUNT)),
                                   name="money_payment_amount_range"),
            models.CheckConstraint(condition=Q(reverses__isnull=True) | Q(amount__lt=0),
                                   name="money_reversal_is_negative"),
            models.CheckConstraint(condition=Q(voluntary__gte=0), name="money_voluntary_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m} {self.amount}"

    @property
    def audit_organization(self):
        return self.organization


class DuesHandoverQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .permissions import CONFIRM_HANDOVER, READ_DUES

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(READ_DUES.q(user, "organization__path", "organization__kind")
                           | CONFIRM_HANDOVER.q(user, "receiver__path", "receiver__kind"))

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class DuesHandover(models.Model):
    """Dues a branch hands over to the level above; the receiver confirms receipt."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=pgettext_lazy("dues", "handed over by"))
    receiver = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("handed over to"))
    amount = money_field(_("amount"))
    handed_on = models.DateField(_("handed over on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("handed over by (person)"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("receipt confirmed by"))
    confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DuesHandoverQuerySet.as_manager()

    class Meta:
        ordering = ["-handed_on", "-id"]
        verbose_name = _("dues hand-over")
        verbose_name_plural = _("dues hand-overs")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(amount__lte=MAX_AMOUNT * 100),
                                   name="money_handover_amount_positive"),
            models.CheckConstraint(condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("handed_by")),
                                   name="money_handover_confirmed_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.receiver} {self.amount}"

    @property
    def audit_organization(self):
        return self.organization


# --- funds -----------------------------------------------------------------------------------------------


class Source(models.TextChoices):
    ALLOCATION = "allocation", _("Allocated by the level above")
    DUES_RETURN = "dues_return", _("Dues returned or allocated")
    COBUILDING = "cobuilding", _("Support from co-building units")
    WELFARE_FUND = "welfare_fund", _("Community public welfare fund")
    OTHER = "other", pgettext_lazy("funds source", "Other")


class Purpose(models.TextChoices):
    ACTIVITIES = "activities", _("Activities and services for residents")
    EDUCATION = "education", _("Study and education")
    CARE = "care", _("Visits and help for people in need")
    PREMISES = "premises", _("Premises and equipment")
    OTHER = "other", pgettext_lazy("funds purpose", "Other")


class FundsSettings(models.Model):
    """Per organization (the nearest up the tree wins): above which amount an expenditure needs a second
    person's approval before it counts."""

    organization = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="funds_settings",
                                        verbose_name=_("organization"))
    approval_above = money_field(_("approval needed above (yuan)"), default=Decimal("500.00"))

    class Meta:
        verbose_name = _("funds settings")
        verbose_name_plural = _("funds settings")
        constraints = [models.CheckConstraint(condition=Q(approval_above__gte=0), name="money_approval_not_negative")]

    def __str__(self) -> str:
        return str(self.organization)


class FundsQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from .permissions import READ_FUNDS

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(READ_FUNDS.q(user, "organization__path", "organization__kind"))


class BudgetLine(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="budget_lines",
                                     verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=16, choices=Source)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose)
    amount = money_field(_("budget"))
    spent = money_field(_("spent"), default=Decimal("0.00"), editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundsQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "-year", "source", "purpose"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "source", "purpose"],
                                    name="money_budget_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=MAX_AMOUNT * 100),
                                   name="money_budget_amount_range"),
            # A line's balance never goes below zero, whatever the application does.
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(spent__lte=F("amount")),
                                   name="money_budget_never_overspent"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} · {self.get_purpose_display()}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent

    @property
    def audit_organization(self):
        return self.organization


class ExpenditureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    COUNTED = "counted", _("Counted")
    REFUSED = "refused", _("Refused")
    REVERSED = "reversed", _("Reversed")


class Expenditure(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="expenditures",
                                     verbose_name=_("organization"))
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenditures",
                             verbose_name=_("budget line"))
    spent_on = models.DateField(_("date"))
    amount = money_field(_("amount"))
    purpose = models.CharField(_("what for"), max_length=200)
    payee = models.CharField(_("payee"), max_length=100)
    activity = models.ForeignKey("service.Activity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("activity"))
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("meeting"))
    receipt = models.FileField(_("receipt"), upload_to="money/receipts/%Y/")
    receipt_type = models.CharField(max_length=40, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=ExpenditureStatus, default=ExpenditureStatus.PENDING)
    key = models.CharField(max_length=64, unique=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundsQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(amount__lte=MAX_AMOUNT),
                                   name="money_expenditure_amount_range"),
            models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("entered_by")),
                                   name="money_expenditure_approved_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.purpose} {self.amount}"

    @property
    def audit_organization(self):
        return self.organization


class FundsEntry(models.Model):
    """One line of the funds ledger: an expenditure that counts, or its reversal. Never updated or deleted."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="entries",
                             verbose_name=_("budget line"))
    expenditure = models.ForeignKey(Expenditure, on_delete=models.PROTECT, related_name="entries",
                                    verbose_name=_("expenditure"))
    amount = money_field(_("amount"))
    occurred_on = models.DateField(_("date"))
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by", verbose_name=_("reverses"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundsQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("funds entry")
        verbose_name_plural = _("funds entries")
        constraints = [
            models.UniqueConstraint(fields=["expenditure"], condition=Q(reverses__isnull=True),
                                    name="money_expenditure_counted_once"),
            models.CheckConstraint(condition=Q(reverses__isnull=False) | Q(amount__gt=0),
                                   name="money_funds_entry_positive"),
            models.CheckConstraint(condition=Q(reverses__isnull=True) | Q(amount__lt=0),
                                   name="money_funds_reversal_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.amount}"
