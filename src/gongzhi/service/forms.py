from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activity


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["organization", "title", "kind", "place", "description", "starts_at", "ends_at", "capacity",
                  "open_to", "requires_signup"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = self.fields["organization"].queryset.filter(
            pk__in=[o.pk for o in organizations])
        self.fields["organization"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class ManualCheckForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("in", _("Check in")), ("out", _("Check out"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for recording by hand"), max_length=200)
