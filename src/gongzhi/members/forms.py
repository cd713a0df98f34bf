from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.idnumber import normalise, parse_id_number
from gongzhi.core.rows import fast_selects
from gongzhi.core.validators import plausible_date
from gongzhi.orgs.models import Household, Organization, OrgKind

from .models import (
    Education,
    JobCodeTable,
    Member,
    MemberCategory,
    MemberStatus,
    PartyStatus,
    PoliticalStatus,
    Resident,
    Standing,
    membership_dates_problem,
)
from .selectors import AGE_BANDS


def _blank(choices):
    return [("", _("All")), *choices]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50,
                        help_text=_("Name, pinyin initials or the last 4 digits of the ID number"))
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Organization.objects.none(), required=False,
                                    empty_label=_("All"))
    category = forms.ChoiceField(label=pgettext_lazy("member", "Category"), choices=_blank(MemberCategory.choices),
                                 required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(MemberStatus.choices), required=False)
    age = forms.ChoiceField(label=_("Age"), choices=_blank([(k, label) for k, label, _lo, _hi in AGE_BANDS]),
                            required=False)
    education = forms.ChoiceField(label=_("Education"), choices=_blank(Education.choices), required=False)
    standing = forms.ChoiceField(label=_("Standing"), required=False, choices=[
        ("", _("Current members")), *Standing.choices, ("all", _("All"))])
    party_status = forms.ChoiceField(label=_("Party membership status"), choices=_blank(PartyStatus.choices),
                                     required=False)
    away = forms.ChoiceField(label=_("Away"), required=False, choices=[
        ("", _("All")), ("mobile", _("Mobile members")), ("lost_contact", _("Lost contact"))])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = (Organization.objects.visible_to(user)
                                          .filter(kind=OrgKind.BRANCH).only("id", "name", "path").order_by("path"))
        for field in fast_selects(self).fields.values():  # a street lists a hundred branches: no include per option
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    table = forms.ModelChoiceField(label=_("Job-position code table"), queryset=JobCodeTable.objects.all(),
                                   empty_label=None,
                                   help_text=_("The version of the national system the file was exported with: "
                                               "工作岗位 is read through it."))
    file = forms.FileField(label=_("Roster file (.xlsx, .xls, .ods)"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        default = JobCodeTable.default()
        self.fields["table"].initial = default.pk if default else None


class ReportingForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None)
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    services = forms.CharField(label=_("Services offered"), max_length=200, required=False)

    def __init__(self, *args, members=None, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["community"].queryset = communities


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    serving_org = forms.ModelChoiceField(label=_("Serves in"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, serving_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serving_org"].queryset = serving_orgs

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("serving_org"):
            self.add_error("serving_org", _("Choose the grid branch or building group where the member serves."))
        return data


class TransferForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None)
    to_org = forms.ModelChoiceField(label=_("Receiving branch"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["to_org"].queryset = Organization.objects.filter(kind=OrgKind.BRANCH,
                                                                     is_active=True).order_by("path")


class PostForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Branch or group"), queryset=None)
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None)
    title = forms.CharField(label=_("Post"), max_length=60)
    duties = forms.CharField(label=_("Duties"), max_length=300, required=False)

    def __init__(self, *args, organizations=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        org, member = data.get("organization"), data.get("member")
        held = member.home_org.path if member and member.home_org else None
        # A branch's own members, or a group's members (held by the branch the group belongs to).
        if org and member and not (held and (held.startswith(org.path) or org.path.startswith(held))):
            self.add_error("member", _("The member does not belong to this branch."))
        return data


def bootstrap(form: forms.Form) -> forms.Form:
    """Give every widget Bootstrap's classes (the member pages render fields generically)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput) and widget.input_type == "date":
            widget.format = "%Y-%m-%d"  # what a date input accepts, whatever the language
        css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs["class"] = css
    return form


class ListedChoiceField(forms.ModelChoiceField):
    """Resolves the chosen pk from the (short) list of choices instead of a query per field:
    two organization fields would otherwise fetch the same model twice."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = int(value)
        except (TypeError, ValueError):
            key = None
        if not hasattr(self, "_listed"):
            self._listed = {obj.pk: obj for obj in self.queryset}
        if key not in self._listed:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return self._listed[key]


class MemberForm(forms.ModelForm):
    """A member record with the national system's fields. The ID number is checked (GB 11643 check
    character) and its birth date and sex are filled in or cross-checked."""

    class Meta:
        model = Member
        fields = ["name", "sex", "ethnicity", "id_number", "birth_date", "education", "joined_on", "full_member_on",
                  "status", "probation_ends_on", "category", "employer", "job_post", "mobile", "address",
                  "home_org", "community", "grid", "building", "party_status", "lost_contact_since",
                  "is_mobile_member", "mobile_destination"]
        widgets = {name: forms.DateInput(attrs={"type": "date"})
                   for name in ("birth_date", "joined_on", "full_member_on", "probation_ends_on",
                                "lost_contact_since")}
        field_classes = {"home_org": ListedChoiceField, "community": ListedChoiceField}

    def __init__(self, *args, branches, communities, grids, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_org"].queryset = branches
        self.fields["home_org"].required = True
        self.fields["community"].queryset = communities
        self.fields["grid"].queryset = grids
        self.fields["building"].queryset = buildings
        self.fields["sex"].required = False
        self.fields["birth_date"].required = False
        self.fields["sex"].help_text = _("Taken from the ID number when left empty.")
        self.fields["birth_date"].help_text = _("Taken from the ID number when left empty.")
        self.fields["lost_contact_since"].help_text = _("Only for a member the branch has lost contact with.")
        self.fields["party_status"].required = False
        bootstrap(self)

    def clean_id_number(self):
        info = parse_id_number(self.cleaned_data["id_number"])
        self.id_info = info
        return info.number

    def clean_party_status(self):
        return self.cleaned_data.get("party_status") or PartyStatus.NORMAL

    def standing(self, current: str) -> str:
        """The standing that follows from the date contact was lost (a transfer or death is not changed here)."""
        if current not in (Standing.NORMAL, Standing.LOST_CONTACT):
            return current
        return Standing.LOST_CONTACT if self.cleaned_data.get("lost_contact_since") else Standing.NORMAL

    def clean_mobile(self):
        mobile = normalise(self.cleaned_data.get("mobile") or "")
        if mobile and not (mobile.isdigit() and 7 <= len(mobile) <= 20):
            raise forms.ValidationError(_("Write the phone number in digits."))
        return mobile

    def clean(self):
        data = super().clean()
        info = getattr(self, "id_info", None)
        if info is not None:
            if data.get("sex") and data["sex"] != info.sex:
                self.add_error("sex", _("The sex does not match the ID number."))
            if data.get("birth_date") and data["birth_date"] != info.birth_date:
                self.add_error("birth_date", _("The date of birth does not match the ID number."))
            data["sex"], data["birth_date"] = data.get("sex") or info.sex, data.get("birth_date") or info.birth_date
        today = date.today()
        joined, full_on = data.get("joined_on"), data.get("full_member_on")
        if joined and joined > today:
            self.add_error("joined_on", _("The date joined is in the future."))
        problem = membership_dates_problem(joined, full_on)
        if problem:
            self.add_error("full_member_on", problem)
        since = data.get("lost_contact_since")
        if since and (since > today or (joined and since < joined)):
            self.add_error("lost_contact_since", _("The date contact was lost lies between joining and today."))
        if data.get("is_mobile_member") and not (data.get("mobile_destination") or "").strip():
            self.add_error("mobile_destination", _("Give where the mobile member has gone."))
        if not data.get("is_mobile_member") and data.get("mobile_destination"):
            self.add_error("mobile_destination", _("Only a mobile member has a destination."))
        # The model's own rules run on the instance next (ModelForm): give it the standing that follows.
        self.instance.standing = self.standing(self.instance.standing)
        if data.get("status") == MemberStatus.PROBATIONARY and not data.get("probation_ends_on"):
            self.add_error("probation_ends_on", _("A probationary member needs the end date of probation."))
        community, grid, building = data.get("community"), data.get("grid"), data.get("building")
        if grid and community and grid.community_id != community.pk:
            self.add_error("grid", _("This grid belongs to another community."))
        if building and grid and building.grid_id != grid.pk:
            self.add_error("building", _("This building belongs to another grid."))
        return data

    def validate_unique(self):
        # A duplicate ID number is the service's to report, with a link to the record when the user
        # may see it; the model's own unique check would say it a second time, without the link.
        pass


class TransferOutForm(forms.Form):
    destination = forms.CharField(label=_("Receiving party organization"), max_length=100)
    letter_number = forms.CharField(label=_("Letter of introduction number"), max_length=40)
    on = forms.DateField(label=_("Date"), validators=[plausible_date], widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TransferInForm(forms.Form):
    source = forms.CharField(label=_("Sending party organization"), max_length=100)
    letter_number = forms.CharField(label=_("Letter of introduction number"), max_length=40)
    on = forms.DateField(label=_("Date"), validators=[plausible_date], widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50,
                        help_text=_("Name or pinyin initials"))
    grid = forms.TypedChoiceField(label=_("Grid"), required=False, coerce=int, empty_value=None)
    political_status = forms.ChoiceField(label=_("Political status"), required=False,
                                         choices=_blank(PoliticalStatus.choices))

    def __init__(self, *args, grids, **kwargs):
        """``grids``: the (id, name) of each grid one may filter by (the cleaned ``grid`` is an id)."""
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [("", _("All")), *grids]
        fast_selects(bootstrap(self))  # a street lists a hundred grids: no template include per option


class ResidentForm(forms.ModelForm):
    """A resident of a household; the household is found by building and door (e.g. 2-301)."""

    building = forms.ModelChoiceField(label=_("Building"), queryset=None, required=False)
    door = forms.CharField(label=_("Entrance and door"), max_length=20, required=False,
                           help_text=_("For example 2-301 (entrance 2, door 301), or 301 for entrance 1."))
    member_id_number = forms.CharField(label=_("Party member's ID number"), max_length=18, required=False,
                                       help_text=_("Links the party member record of a resident who is a member."))

    class Meta:
        model = Resident
        fields = ["community", "name", "sex", "birth_year", "id_number", "phone", "relation", "political_status"]

    def __init__(self, *args, communities, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["building"].queryset = buildings
        household = self.instance.household if self.instance.pk else None
        if household is not None:
            self.initial.setdefault("building", household.building_id)
            self.initial.setdefault("door", f"{household.entrance}-{household.number}")
        if self.instance.member_id:
            self.initial.setdefault("member_id_number", self.instance.member.id_number)
        bootstrap(self)

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number") or ""
        return parse_id_number(raw).number if raw.strip() else None

    def clean_phone(self):
        phone = normalise(self.cleaned_data.get("phone") or "")
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
            raise forms.ValidationError(_("Write the phone number in digits."))
        return phone

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if not 1900 <= year <= date.today().year:
            raise forms.ValidationError(_("Write a year between 1900 and this year."))
        return year

    def clean(self):
        data = super().clean()
        building, door = data.get("building"), (data.get("door") or "").strip()
        self.household = None
        if building is not None:
            community = data.get("community")
            if community and building.grid.community_id != community.pk:
                self.add_error("building", _("This building belongs to another community."))
                return data
            entrance, _sep, number = door.rpartition("-")
            households = Household.objects.filter(building=building, number=number)
            if entrance:
                households = households.filter(entrance=int(entrance)) if entrance.isdigit() else households.none()
            elif door:
                households = households.filter(entrance=1)
            self.household = households.first() if door else None
            if self.household is None:
                self.add_error("door", _("No such door in this building."))
        elif door:
            self.add_error("building", _("Choose the building."))
        info = data.get("id_number") and parse_id_number(data["id_number"])
        if info and data.get("birth_year") and info.birth_date.year != data["birth_year"]:
            self.add_error("birth_year", _("The year of birth does not match the ID number."))
        if info and data.get("sex") and info.sex != data["sex"]:
            self.add_error("sex", _("The sex does not match the ID number."))
        return data

    def validate_unique(self):
        pass  # the service says it, in the user's words


class SelfReportForm(forms.Form):
    """The public dual-reporting form (reached by the community's QR code)."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20)
    joined_on = forms.DateField(label=_("Date joined"), widget=forms.DateInput(attrs={"type": "date"}))
    home_org_name = forms.CharField(label=_("Party organization holding your membership"), max_length=100)
    employer = forms.CharField(label=_("Employer"), max_length=100, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    services = forms.CharField(label=_("Services you are willing to give"), max_length=200, required=False)
    consent = forms.BooleanField(label=_("I agree that the community party committee keeps these data to "
                                         "organise my service here."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_id_number(self):
        self.id_info = parse_id_number(self.cleaned_data["id_number"])
        return self.id_info.number

    def clean_mobile(self):
        mobile = normalise(self.cleaned_data["mobile"])
        if not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            raise forms.ValidationError(_("Write an 11-digit mobile number."))
        return mobile

    def clean_joined_on(self):
        joined = self.cleaned_data["joined_on"]
        if joined > date.today():
            raise forms.ValidationError(_("The date joined is in the future."))
        return joined
