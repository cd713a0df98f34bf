from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.rows import fast_inputs, fast_selects

from .models import PointRule, RuleCode

#: The kinds of activity a rule may be limited to. The service app, a layer above the ledger,
#: registers its ``ActivityKind`` choices here when it starts.
ACTIVITY_KINDS: list[tuple[str, str]] = []


def register_activity_kinds(choices) -> None:
    ACTIVITY_KINDS[:] = list(choices)


class RuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = ["code", "activity_kind", "points", "per_hour", "monthly_cap", "yearly_cap", "effective_from",
                  "effective_to", "note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "effective_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_kind"] = forms.ChoiceField(
            label=_("activity kind"), required=False, choices=[("", _("Every kind")), *ACTIVITY_KINDS])
        self.fields["code"].choices = [c for c in RuleCode.choices
                                       if c[0] not in (RuleCode.REVERSAL, RuleCode.REDEMPTION)]

    def clean(self):
        data = super().clean()
        for field in ("monthly_cap", "yearly_cap"):
            if data.get(field) is not None and data[field] < 0:
                self.add_error(field, _("A cap cannot be negative."))
        return data


class LedgerFilter(forms.Form):
    member = forms.CharField(label=_("Member"), required=False)
    code = forms.ChoiceField(label=_("Rule"), required=False, choices=[("", _("All")), *RuleCode.choices])
    month = forms.RegexField(label=_("Month"), required=False, regex=r"^\d{4}-\d{2}$",
                             widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fast_inputs(fast_selects(self))  # the rules' select without an include per option, the inputs' markup in Python


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RewardForm(forms.ModelForm):
    class Meta:
        from .models import Reward

        model = Reward
        fields = ["organization", "name", "price", "stock"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = self.fields["organization"].queryset.filter(
            pk__in=[o.pk for o in organizations])
        self.fields["organization"].empty_label = None
        self.fields["stock"].min_value = 0
        self.fields["price"].min_value = 0.1


class ManualAwardForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    points = forms.DecimalField(label=_("Points (negative for a deduction)"), max_digits=7, decimal_places=1,
                                min_value=-100, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, members, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["organization"].queryset = organizations
