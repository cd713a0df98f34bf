"""Form styling shared by every app (``Bootstrap``), and the forms of the core pages: entering public
holidays and make-up working days."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import DayKind, Festival


class Bootstrap:
    """Give every widget its Bootstrap class (templates stay generic). Mix it into a form and call
    ``self.style()`` (or ``Bootstrap.style(form)``) once its fields are built."""

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect,
                                   forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(Bootstrap, forms.Form):
    """A form styled once its fields are built, for templates that render each field as it is (``{{ field }}``):
    a long choice (a meeting's title) then stays within a phone's width."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class CalendarDaysForm(forms.Form):
    first = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    last = forms.DateField(label=_("Last day"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text=_("Leave empty for a single day."))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    festival = forms.ChoiceField(label=_("Festival"), choices=Festival.choices,
                                 help_text=_("For a make-up working day: the holiday it makes up for."))
    name = forms.CharField(label=pgettext_lazy("holiday", "Name of another holiday"), max_length=60, required=False)

    def clean(self):
        data = super().clean()
        if data.get("first") and not data.get("last"):
            data["last"] = data["first"]
        return data


class DayRangeForm(forms.Form):
    first = forms.DateField()
    last = forms.DateField()
