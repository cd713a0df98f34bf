from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CareKind


class TagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Care need"), choices=CareKind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PairingForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None)
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=None)
    frequency_days = forms.IntegerField(label=_("Visit every (days)"), min_value=1, max_value=365, initial=30)

    def __init__(self, *args, residents, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents.order_by("name")
        self.fields["member"].queryset = members.order_by("name")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
