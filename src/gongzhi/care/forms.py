from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.rows import fast_selects
from gongzhi.core.validators import plausible_date

from .models import CareKind


class TagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Care need"), choices=CareKind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PairingForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=None)
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("or a co-building unit"), queryset=None, required=False)
    frequency_days = forms.IntegerField(label=_("Visit every (days)"), min_value=1, max_value=365, initial=30)

    def __init__(self, *args, residents, members, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents.order_by("name")
        self.fields["member"].queryset = members.order_by("name")
        self.fields["unit"].queryset = units.order_by("name")

    def clean(self):
        data = super().clean()
        if bool(data.get("member")) == bool(data.get("unit")):
            raise forms.ValidationError(_("Choose a party member or a co-building unit (one of the two)."))
        return data


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), validators=[plausible_date],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("What was done"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    need = forms.CharField(label=_("Needs found"), max_length=500, required=False,
                           help_text=_("A need can then become a small wish or a request with one click."),
                           widget=forms.Textarea(attrs={"rows": 2}))
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class NeedRequestForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=())

    def __init__(self, *args, **kwargs):
        from gongzhi.voice.models import Category

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices


class RegistryFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Care need"), required=False, choices=[("", _("Every need")), *CareKind.choices])
    grid = forms.TypedChoiceField(label=_("Grid"), required=False, coerce=int, empty_value=None)
    unpaired = forms.BooleanField(label=_("Only those nobody is paired with"), required=False)

    def __init__(self, *args, grids, **kwargs):
        """``grids``: the (id, name) of each grid one may filter by."""
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [("", _("Every grid")), *grids]
        for name in ("kind", "grid"):
            self.fields[name].widget.attrs["class"] = "form-select"
        fast_selects(self)  # a street lists a hundred grids: no template include per option
