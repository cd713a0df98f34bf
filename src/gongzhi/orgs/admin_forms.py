"""Forms of the organization and place administration pages (fields listed; choices from capabilities)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BranchCategory, Building, CoBuildingAgreement, Grid, Household, OrgKind, UnitKind


def bootstrap(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        else:
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return form


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * max(obj.depth - 1, 0)}{obj.name} ({obj.code})"


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class OrganizationForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Type"))
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=BranchCategory.choices, required=False)
    established_on = forms.DateField(label=_("Date established"), required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, OrgKind(k).label) for k in kinds]


class OrganizationEditForm(Styled, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=BranchCategory.choices, required=False)
    established_on = forms.DateField(label=_("Date established"), required=False)
    address = forms.CharField(label=_("Office address"), max_length=200, required=False)
    secretary = forms.ModelChoiceField(label=_("Secretary"), queryset=None, required=False,
                                       help_text=_("An account holding a role in this organization."))

    def __init__(self, *args, secretaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = secretaries


class MoveForm(Styled, forms.Form):
    parent = OrgChoiceField(label=_("New parent"), queryset=None)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class CloseForm(Styled, forms.Form):
    closed_on = forms.DateField(label=_("Date closed"), initial=timezone.localdate)


class GridForm(Styled, forms.ModelForm):
    class Meta:
        model = Grid
        fields = ["code", "name", "branch", "grid_worker"]

    def __init__(self, *args, branches, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["grid_worker"].queryset = workers


class BuildingForm(Styled, forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "entrances", "floors", "group"]

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["entrances"].min_value = 1
        self.fields["entrances"].widget.attrs["min"] = 1
        self.fields["entrances"].widget.attrs["max"] = 50
        self.fields["floors"].widget.attrs["max"] = 200

    def clean_entrances(self):
        value = self.cleaned_data["entrances"]
        if not 1 <= value <= 50:
            raise forms.ValidationError(_("Between 1 and 50 entrances."))
        return value

    def clean_floors(self):
        value = self.cleaned_data["floors"]
        if not 1 <= value <= 200:
            raise forms.ValidationError(_("Between 1 and 200 floors."))
        return value


class HouseholdForm(Styled, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["entrance", "floor", "number", "resident_count"]

    def clean_resident_count(self):
        value = self.cleaned_data["resident_count"]
        if value > 99:
            raise forms.ValidationError(_("At most 99 residents in one household."))
        return value


class UnitForm(Styled, forms.Form):
    name = forms.CharField(label=_("Name of the unit"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    code = forms.CharField(label=_("Code of its party organization"), max_length=32)
    org_name = forms.CharField(label=_("Name of its party organization"), max_length=100, required=False,
                               help_text=_("Empty: the unit's name followed by \"party organization\"."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)


class AgreementForm(Styled, forms.ModelForm):
    class Meta:
        model = CoBuildingAgreement
        fields = ["unit", "unit_contributes", "community_contributes", "starts_on", "ends_on"]
        widgets = {"unit_contributes": forms.Textarea(attrs={"rows": 3}),
                   "community_contributes": forms.Textarea(attrs={"rows": 3}),
                   "starts_on": forms.DateInput(), "ends_on": forms.DateInput()}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        bootstrap(self)


class RenewForm(Styled, forms.Form):
    ends_on = forms.DateField(label=_("Until"), required=False, help_text=_("Leave empty for no end date."))


