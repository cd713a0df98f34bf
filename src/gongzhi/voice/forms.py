from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.validators import plausible_date
from gongzhi.orgs.models import Building, Grid, Organization

from .models import Category, Channel, Rating

PHONE_RE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s]", "", value or "")
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(_("Enter a mobile number (11 digits) or a landline number."))
    return value


class RequestForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(label=_("What is the matter?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none(), required=False)
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False)
    address = forms.CharField(label=_("Or the place in your own words"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    anonymous = forms.BooleanField(label=_("Keep my contact details from the handlers (anonymous)"),
                                   required=False)

    def __init__(self, *args, community, phone_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.filter(community=community).order_by("code")
        self.fields["building"].queryset = (Building.objects.filter(grid__community=community)
                                            .order_by("grid__code", "name"))
        self.fields["contact_phone"].required = phone_required

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])


class StaffEntryForm(RequestForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Organization.objects.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=[(Channel.PHONE, Channel.PHONE.label),
                                                             (Channel.VISIT, Channel.VISIT.label)])
    field_order = ["community", "channel", "category", "text", "grid", "building", "address", "contact_phone",
                   "anonymous"]

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, community=None, phone_required=False, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["grid"].queryset = Grid.objects.filter(community__in=communities).order_by("code")
        self.fields["building"].queryset = (Building.objects.filter(grid__community__in=communities)
                                            .select_related("grid").order_by("grid__code", "name"))


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=20)


class RateForm(forms.Form):
    number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    rating = forms.ChoiceField(label=_("How satisfied are you?"), choices=Rating.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Transfer to"), queryset=Organization.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = targets


class WishForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Organization.objects.none())
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=None, required=False)
    text = forms.CharField(label=_("Wish"), max_length=500)

    def __init__(self, *args, communities, **kwargs):
        from gongzhi.members.models import Resident

        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["resident"].queryset = Resident.objects.filter(community__in=communities).order_by("name")


class RouteForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False,
                                  empty_label=_("The whole community"))
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=None)

    def __init__(self, *args, grids, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["handler"].queryset = handlers


class DeadlineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    first_answer_hours = forms.IntegerField(label=_("First answer within (hours)"), min_value=1, max_value=720)
    resolution_days = forms.IntegerField(label=_("Resolved within (working days)"), min_value=1, max_value=90)


class ConsultationForm(forms.ModelForm):
    options = forms.CharField(label=_("Options (one per line)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Residents may support one option; leave empty for opinions only."))

    class Meta:
        from .models import Consultation

        model = Consultation
        fields = ["community", "grid", "building", "title", "description", "opens_on", "closes_on"]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["grid"].queryset = Grid.objects.filter(community__in=communities).order_by("name")
        self.fields["building"].queryset = Building.objects.filter(grid__community__in=communities).order_by("name")
        if self.instance.pk:
            self.initial["options"] = "\n".join(o.text for o in self.instance.options.all())

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The period ends before it begins."))
        return data


class OutcomeForm(forms.Form):
    meeting_on = forms.DateField(label=_("Meeting held on"), validators=[plausible_date],
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    meeting_note = forms.CharField(label=_("What the meeting discussed"), max_length=4000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    option = forms.TypedChoiceField(label=_("I support"), coerce=int, required=False, empty_value=None,
                                    widget=forms.RadioSelect)
    text = forms.CharField(label=_("My opinion"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(o.pk, o.text) for o in consultation.options.all()]
