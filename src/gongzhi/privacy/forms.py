"""Forms of the privacy app (each lists its fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.members.models import Member, Resident

from .models import RequestKind, Subject
from .services import CORRECTABLE

_MODELS = {Subject.MEMBER: Member, Subject.RESIDENT: Resident}


def field_choices(subjects) -> list[tuple[str, str]]:
    choices = [("", "—")]
    for subject in subjects:
        model = _MODELS[subject]
        choices += [(name, f"{model._meta.get_field(name).verbose_name} ({Subject(subject).label})")
                    for name in CORRECTABLE[subject]]
    return choices


class AskForm(forms.Form):
    subject = forms.ChoiceField(label=_("Which record"), choices=Subject.choices)
    kind = forms.ChoiceField(label=_("I ask for"), choices=RequestKind.choices, widget=forms.RadioSelect,
                             initial=RequestKind.CORRECTION)
    field = forms.ChoiceField(label=_("Field to correct"), required=False,
                              help_text=_("For a correction: which field is wrong."))
    proposed_value = forms.CharField(label=_("Correct value"), max_length=200, required=False,
                                     help_text=_("For a correction: the value it should have. Dates as 2026-05-01."))
    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s, Subject(s).label) for s in subjects]
        self.fields["field"].choices = field_choices(subjects)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect,
                                 choices=[("accept", _("Accept the request")), ("refuse", _("Refuse the request"))])
    reason = forms.CharField(label=_("Reason for the decision"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DepartureForm(forms.Form):
    moved_on = forms.DateField(label=_("Moved away on"), widget=forms.DateInput(attrs={"type": "date"}))
