from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.orgs.models import Organization, OrgKind

from .models import Education, MemberCategory, MemberStatus
from .selectors import AGE_BANDS


def _blank(choices):
    return [("", _("All")), *choices]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50,
                        help_text=_("Name, pinyin initials or the last 4 digits of the ID number"))
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Organization.objects.none(), required=False,
                                    empty_label=_("All"))
    category = forms.ChoiceField(label=_("Category"), choices=_blank(MemberCategory.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(MemberStatus.choices), required=False)
    age = forms.ChoiceField(label=_("Age"), choices=_blank([(k, label) for k, label, _lo, _hi in AGE_BANDS]),
                            required=False)
    education = forms.ChoiceField(label=_("Education"), choices=_blank(Education.choices), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = (Organization.objects.visible_to(user)
                                          .filter(kind=OrgKind.BRANCH).order_by("path"))


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    file = forms.FileField(label=_("Roster file (.xlsx, .xls, .ods)"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


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
