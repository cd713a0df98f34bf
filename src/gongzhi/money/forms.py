"""Forms of the dues and funds pages. Amounts are read as text and checked by ``services.parse_amount`` so that
"4千", "-5" or "1e30" get the same clear message from the page, the API and the import."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import StyledForm
from gongzhi.core.periods import MAX_YEAR, MIN_YEAR

from . import services
from .models import Basis, Method, Purpose, Source

DATE = {"type": "date"}


def new_key() -> str:
    """A fresh idempotency key for one form or one tap."""
    return secrets.token_hex(12)


class AmountField(forms.CharField):
    def __init__(self, *args, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return services.parse_amount(value, allow_zero=self.allow_zero)
        except ValidationError as error:
            raise ValidationError(error.message_dict["amount"]) from None


class MonthInput(forms.TextInput):
    """The browser's month picker; where it falls back to a text box, the example shown is this month."""

    input_type = "month"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", timezone.localdate().strftime("%Y-%m"))
        return context


class MonthField(forms.CharField):
    """A month written YYYY-MM (the browser's month input), as its first day."""

    widget = MonthInput

    def clean(self, value):
        from gongzhi.core.periods import parse_month

        value = super().clean(value)
        if value in ("", None):
            return None
        month = parse_month(value, None)
        if month is None:
            raise ValidationError(_("Enter a month as YYYY-MM."))
        return month


class PayForm(forms.Form):
    """Several months at once, on the member's behalf if needed."""

    first = MonthField(label=_("From month"))
    last = MonthField(label=_("To month"), required=False, help_text=_("Empty: one month."))
    amount = AmountField(label=_("Amount per month (yuan)"), required=False,
                         help_text=_("Empty: what the rates ask. More is a voluntary payment."))
    method = forms.ChoiceField(label=_("Paid by"), choices=Method.choices, initial=Method.CASH)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=forms.DateInput(attrs=DATE))
    paid_for_by = forms.CharField(label=_("Paid on the member's behalf by"), max_length=50, required=False,
                                  help_text=_("代缴: when someone pays for a member who is away."))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "pay_%s")  # the base form shares the page and has an amount too
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last") or data.get("first")
        if first and last:
            if last < first:
                raise ValidationError(_("The last month comes after the first."))
            from .rates import months_between

            months = months_between(first, last)
            if len(months) > 24:
                raise ValidationError(_("At most 24 months at once."))
            data["months"] = months
        return data


class BaseForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    basis = forms.ChoiceField(label=_("Dues follow"), choices=Basis.choices)
    amount = AmountField(label=_("Monthly income or pension (yuan)"), required=False, allow_zero=True,
                         help_text=_("Regular after-tax monthly income, or the monthly pension. Not needed for the "
                                     "fixed amounts."))

    def clean(self):
        data = super().clean()
        if Basis.needs_amount(data.get("basis", "")) and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the monthly income or pension in yuan."))
        return data


#: How many percentage brackets the rates form offers (the 2008 rules use four).
BRACKET_ROWS = 6


class RatesForm(forms.Form):
    """A new schedule for one basis from a month on: brackets (upper limit and share; the last one without a
    limit) for incomes and pensions, one fixed monthly amount for the other groups."""

    basis = forms.ChoiceField(label=_("Dues follow"), choices=Basis.choices)
    effective_from = MonthField(label=_("Takes effect from"))
    fixed = AmountField(label=_("Fixed amount (yuan a month)"), required=False, allow_zero=True,
                        help_text=_("For rural members, students, the unemployed and those on welfare."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("The document that sets the change, e.g. its number and date."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, BRACKET_ROWS + 1):
            self.fields[f"up_to_{i}"] = AmountField(label=_("Up to (yuan a month)"), required=False)
            self.fields[f"percent_{i}"] = forms.DecimalField(
                label=_("Share (%)"), required=False, min_value=Decimal("0.01"), max_value=Decimal("100"),
                max_digits=5, decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def bracket_fields(self):
        return [(self[f"up_to_{i}"], self[f"percent_{i}"]) for i in range(1, BRACKET_ROWS + 1)]

    def clean(self):
        data = super().clean()
        basis = data.get("basis", "")
        rows = [(data.get(f"up_to_{i}"), data.get(f"percent_{i}")) for i in range(1, BRACKET_ROWS + 1)]
        rows = [(up_to, percent) for up_to, percent in rows if up_to is not None or percent is not None]
        if Basis.needs_amount(basis):
            if any(percent is None for _up_to, percent in rows):
                raise ValidationError(_("Give every bracket its share in per cent."))
            if not rows:
                raise ValidationError(_("Enter the brackets: an upper limit and a share for each, the last one "
                                        "without a limit."))
            data["brackets"], data["fixed"] = rows, None
        elif basis:
            if data.get("fixed") is None and "fixed" not in self.errors:
                self.add_error("fixed", _("Enter the fixed monthly amount."))
            if rows:
                raise ValidationError(_("This group pays a fixed amount: leave the brackets empty."))
            data["brackets"] = []
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class HandoverForm(forms.Form):
    amount = AmountField(label=_("Amount (yuan)"), required=False, help_text=_("Empty: all that is outstanding."))
    handed_on = forms.DateField(label=_("Handed over on"), widget=forms.DateInput(attrs=DATE),
                                initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BudgetLineForm(StyledForm):
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    amount = AmountField(label=_("Budget (yuan)"), allow_zero=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ApprovalAmountForm(StyledForm):
    approval_above = AmountField(label=_("Second approval needed above (yuan)"), allow_zero=True)


class ExpenditureForm(StyledForm):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=None)
    spent_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    amount = AmountField(label=_("Amount (yuan)"))
    purpose = forms.CharField(label=_("What for"), max_length=200)
    payee = forms.CharField(label=_("Payee"), max_length=100)
    activity = forms.ModelChoiceField(label=_("Activity it served"), queryset=None, required=False)
    meeting = forms.ModelChoiceField(label=_("Meeting it served"), queryset=None, required=False)
    receipt = forms.FileField(label=_("Receipt (photo or PDF)"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, lines, activities, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["activity"].queryset = activities
        self.fields["meeting"].queryset = meetings


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse"), ("reverse", "reverse")])
    note = forms.CharField(label=_("Note or reason"), max_length=200, required=False)
