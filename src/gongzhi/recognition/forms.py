"""The form of a title or badge."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import Bootstrap

from .models import Badge


class BadgeForm(forms.ModelForm):
    class Meta:
        model = Badge
        fields = ["name", "icon", "metric", "threshold", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Bootstrap.style(self)

    def clean_threshold(self):
        value = self.cleaned_data["threshold"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The threshold must be above zero."))
        return value
