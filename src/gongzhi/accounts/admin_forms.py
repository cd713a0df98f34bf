"""Forms of the account and role administration pages. Choices come from capabilities; the services
check the rules again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import RoleKind


def _bootstrap(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return form


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * max(obj.depth - 1, 0)}{obj.name}"


class OutsideAccountForm(forms.Form):
    display_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False,
                             help_text=_("Optional: the person can then log in with it."))
    organization = OrgChoiceField(label=_("Organization"), queryset=None,
                                  help_text=_("Whose staff look after the account, and where the role is held."))
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args, organizations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["role"].choices = [("", _("No role yet")), *roles]
        _bootstrap(self)


class GrantRoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"))
    organization = OrgChoiceField(label=_("Organization"), queryset=None)
    starts_on = forms.DateField(label=pgettext_lazy("role", "From"), initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Until"), required=False, help_text=_("Leave empty while it lasts."))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["kind"].choices = RoleKind.choices
        _bootstrap(self)


class EndRoleForm(forms.Form):
    on = forms.DateField(label=_("Last day"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class BranchForm(forms.Form):
    branch = OrgChoiceField(label=_("Branch"), queryset=None)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        _bootstrap(self)


class ActivationForm(forms.Form):
    login = forms.CharField(label=_("Username or mobile number"), max_length=150,
                            widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    code = forms.CharField(label=_("Activation code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize":
                                                         "characters"}))
    password1 = forms.CharField(label=_("New password"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("The same password again"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data
