"""Forms of the recruitment pages: each lists its fields; the services decide the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.members.models import Education, MemberCategory

from .models import TWO_MEMBER_STEPS, StepNumber


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


class ApplicantForm(forms.Form):
    """A new application (step 1): the person and the branch that handles it."""

    branch = forms.TypedChoiceField(label=_("Handling branch"), coerce=int)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=24,
                                help_text=_("The date of birth and the sex are read from it."))
    ethnicity = forms.CharField(label=_("Ethnic group"), max_length=20, initial="汉族")
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices], required=False)
    category = forms.ChoiceField(label=_("Occupation category"), choices=MemberCategory.choices)
    workplace = forms.CharField(label=_("Workplace"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    applied_on = forms.DateField(label=_("Date of the application"), widget=_date_input(), initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("The application letter (photo or PDF)"), required=False)

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [(b.pk, b.name) for b in branches]


class StepForm(forms.Form):
    """The person's next step; the fields a step does not use are removed."""

    on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    first_member = forms.TypedChoiceField(label=_("First member"), coerce=int, required=False, empty_value=None)
    second_member = forms.TypedChoiceField(label=_("Second member"), coerce=int, required=False, empty_value=None)
    notice_starts_on = forms.DateField(label=_("Public notice from"), widget=_date_input(), required=False)
    notice_ends_on = forms.DateField(label=_("Public notice until"), widget=_date_input(), required=False)
    meeting = forms.TypedChoiceField(label=_("Branch general meeting (its roll gives who is present)"), coerce=int,
                                     required=False, empty_value=None)
    present = forms.TypedMultipleChoiceField(label=_("Full members present (when no meeting is chosen)"), coerce=int,
                                             required=False, widget=forms.CheckboxSelectMultiple)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0, max_value=100000)
    against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100000)
    abstained = forms.IntegerField(label=_("Abstained"), min_value=0, max_value=100000)
    group = forms.TypedChoiceField(label=_("Party group"), coerce=int, required=False, empty_value=None)
    document = forms.FileField(label=_("Document (photo or PDF)"), required=False)

    def __init__(self, *args, step: int, members=(), meetings=(), electors=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        keep = {"on", "notes", "document"}
        if step in TWO_MEMBER_STEPS:
            keep |= {"first_member", "second_member"}
            choices = [("", "—")] + [(m.pk, m.name) for m in members]
            self.fields["first_member"].choices = self.fields["second_member"].choices = choices
            label = _("contact member") if step == StepNumber.CONTACTS else _("introducer")
            self.fields["first_member"].label = _("First %(what)s") % {"what": label}
            self.fields["second_member"].label = _("Second %(what)s") % {"what": label}
        elif step == StepNumber.COMMITTEE_REVIEW:
            keep |= {"notice_starts_on", "notice_ends_on"}
        elif step == StepNumber.GENERAL_MEETING:
            keep |= {"meeting", "present", "in_favour", "against", "abstained"}
            self.fields["meeting"].choices = [("", "—")] + [(m.pk, f"{m.date:%Y-%m-%d} {m.topic}") for m in meetings]
            self.fields["present"].choices = [(m.pk, m.name) for m in electors]
        elif step == StepNumber.ASSIGNED:
            keep |= {"group"}
            self.fields["group"].choices = [("", "—")] + [(g.pk, g.name) for g in groups]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class AssessmentForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    text = forms.CharField(label=_("Assessment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Photo or PDF"))


class CloseForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=300)
