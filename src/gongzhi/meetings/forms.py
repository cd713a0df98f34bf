from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.validators import plausible_date

from .models import AmendedField, AttendanceStatus, MeetingKind, Period


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")  # what a date input accepts, in any language


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingPlanForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Branch or group"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Kind"))
    topic = forms.CharField(max_length=200, label=_("Topic"))
    date = forms.DateField(widget=DateInput, label=_("Date"), validators=[plausible_date])
    start_time = forms.TimeField(widget=TimeInput, label=_("Starts at"))
    end_time = forms.TimeField(widget=TimeInput, required=False, label=_("Ends at"))
    place = forms.CharField(max_length=200, required=False, label=_("Place"))
    online = forms.BooleanField(required=False, label=_("Online"))
    online_link = forms.URLField(required=False, assume_scheme="https", label=_("Online meeting link"))
    host = forms.ModelChoiceField(queryset=None, required=False, label=_("Host"))

    def __init__(self, *args, organizations, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["host"].queryset = hosts


class AttendanceForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=[c for c in AttendanceStatus.choices if c[0] != AttendanceStatus.EXPECTED],
                               label=_("Attendance"))
    leave_reason = forms.CharField(max_length=200, required=False, label=_("Reason for leave"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000,
                              label=_("Minutes"))
    resolutions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000,
                                  label=_("Resolutions"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or PDF"))


class AmendmentForm(forms.Form):
    field = forms.ChoiceField(choices=AmendedField.choices, label=pgettext_lazy("meeting", "Change"))
    new_value = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000,
                                label=_("New text"))
    member = forms.IntegerField(required=False, label=_("Member"))
    status = forms.ChoiceField(choices=[("", "—")] + [c for c in AttendanceStatus.choices
                                                      if c[0] != AttendanceStatus.EXPECTED],
                               required=False, label=_("Attendance"))
    leave_reason = forms.CharField(max_length=200, required=False, label=_("Reason for leave"))
    reason = forms.CharField(max_length=200, label=_("Reason for the amendment"))


class RequirementForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Kind"))
    period = forms.ChoiceField(choices=Period.choices, label=_("Period"))
    times = forms.IntegerField(min_value=0, max_value=31, label=_("Times per period"))


class OpenAppraisalForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=None, label=_("Branch"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    unreported_cap = forms.BooleanField(
        required=False, label=_("In-service members who did not report cannot be graded qualified or better"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, label=_("Self-assessment"))
