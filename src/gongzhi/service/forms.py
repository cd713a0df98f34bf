from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.forms import Bootstrap
from gongzhi.core.validators import plausible_date

from .models import Activity, ActivityKind, Frequency, OpenTo
from .services import team_fits

WEEKDAYS = [("0", _("Mon")), ("1", _("Tue")), ("2", _("Wed")), ("3", _("Thu")), ("4", _("Fri")), ("5", _("Sat")),
            ("6", _("Sun"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")  # what a date input accepts, in any language


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%H:%M")


class TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organization.name}）"


def _check_team(form, data) -> None:
    team, organization = data.get("team"), data.get("organization") or getattr(form, "organization", None)
    if data.get("open_to") == OpenTo.TEAM and team is None:
        form.add_error("team", _("Choose the team whose members may join."))
    if team is not None and organization is not None and not team_fits(organization, team):
        form.add_error("team", _("The team must belong to the organization, one above it or one below it."))


class ActivityForm(Bootstrap, forms.ModelForm):
    team = TeamChoice(label=_("Service team"), queryset=None, required=False,
                      help_text=_("The team organising it; needed when only the team's members may join."))

    class Meta:
        model = Activity
        fields = ["organization", "title", "kind", "place", "description", "starts_at", "ends_at", "capacity",
                  "open_to", "team", "requires_signup"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organizations, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = self.fields["organization"].queryset.filter(
            pk__in=[o.pk for o in organizations])
        self.fields["organization"].empty_label = None
        self.fields["team"].queryset = teams.select_related("organization")
        self.style()

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        _check_team(self, data)
        return data


class ManualCheckForm(forms.Form):
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    resident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("in", _("Check in")), ("out", _("Check out"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for recording by hand"), max_length=200)

    def clean(self):
        data = super().clean()
        if (data.get("member") is None) == (data.get("resident") is None):
            raise forms.ValidationError("member or resident")
        return data


class UpcomingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ActivityKind.choices])
    team = forms.IntegerField(required=False, widget=forms.HiddenInput)


# --- teams -----------------------------------------------------------------------------------------

class PlaceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class TeamForm(Bootstrap, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    kinds = forms.MultipleChoiceField(label=_("Kinds of service"), choices=ActivityKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    grids = PlaceChoice(label=pgettext_lazy("service", "Grids covered"), queryset=None, required=False,
                        widget=forms.CheckboxSelectMultiple)
    buildings = PlaceChoice(label=pgettext_lazy("service", "Buildings covered"), queryset=None, required=False,
                            widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=None, required=False,
                                    help_text=_("A member of the team."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organizations=None, grids, buildings, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:  # editing: the organization stays
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            del self.fields["leader"], self.fields["is_active"]
        self.fields["grids"].queryset = grids
        self.fields["buildings"].queryset = buildings.select_related("grid")
        if members is not None:
            self.fields["leader"].queryset = members
        self.style()


class AddTeamMemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    joined_on = forms.DateField(label=_("Joined on"), required=False, validators=[plausible_date], widget=DateInput)


class RemoveTeamMemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    left_on = forms.DateField(label=_("Left on"), required=False, validators=[plausible_date], widget=DateInput)


# --- recurring series ------------------------------------------------------------------------------

class SeriesForm(Bootstrap, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices, initial=ActivityKind.OTHER)
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100000, required=False,
                                  help_text=_("Empty: no limit."))
    open_to = forms.ChoiceField(label=_("Who may join"), choices=OpenTo.choices, initial=OpenTo.MEMBERS)
    team = TeamChoice(label=_("Service team"), queryset=None, required=False)
    requires_signup = forms.BooleanField(label=_("Sign-up required"), required=False, initial=True)
    frequency = forms.ChoiceField(label=_("Repeats"), choices=Frequency.choices, widget=forms.RadioSelect,
                                  initial=Frequency.WEEKLY)
    interval = forms.IntegerField(label=_("Every (weeks or months)"), min_value=1, max_value=12, initial=1)
    weekdays = forms.MultipleChoiceField(label=_("On (weekly)"), choices=WEEKDAYS, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    month_day = forms.IntegerField(label=_("Day of the month (monthly)"), min_value=1, max_value=31, required=False)
    starts_on = forms.DateField(label=_("First date"), validators=[plausible_date], widget=DateInput)
    ends_on = forms.DateField(label=_("Last date"), widget=DateInput, required=False, validators=[plausible_date],
                              help_text=_("At most a year after the first date."))
    count = forms.IntegerField(label=_("or number of occurrences"), min_value=1, max_value=60, required=False,
                               help_text=_("At most 60."))
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, organizations=None, teams, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        if organizations is None:  # editing: the organization stays; no second submission key
            del self.fields["organization"], self.fields["key"]
        else:
            self.fields["organization"].queryset = organizations
        self.fields["team"].queryset = teams.select_related("organization")
        self.style()

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The end must be after the start."))
        if data.get("frequency") == Frequency.WEEKLY and not data.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one weekday."))
        if data.get("frequency") == Frequency.MONTHLY and not data.get("month_day"):
            self.add_error("month_day", _("Choose a day of the month between 1 and 31."))
        if not data.get("ends_on") and not data.get("count"):
            self.add_error("ends_on", _("Give a last date or a number of occurrences."))
        _check_team(self, data)
        return data

    def values(self) -> dict:
        """The series fields for ``services.create_series`` / ``update_series``."""
        data = self.cleaned_data
        weekly = data["frequency"] == Frequency.WEEKLY
        return {
            "title": data["title"], "kind": data["kind"], "place": data["place"], "description": data["description"],
            "start_time": data["start_time"], "end_time": data["end_time"], "capacity": data["capacity"],
            "open_to": data["open_to"], "team": data["team"], "requires_signup": data["requires_signup"],
            "frequency": data["frequency"], "interval": data["interval"],
            "weekdays": "".join(sorted(data["weekdays"])) if weekly else "",
            "month_day": None if weekly else data["month_day"],
            "starts_on": data["starts_on"], "ends_on": data["ends_on"], "count": data["count"],
        }
