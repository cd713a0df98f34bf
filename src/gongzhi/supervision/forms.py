"""Forms of supervision (each lists its fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.models import RoleKind
from gongzhi.core.periods import MAX_YEAR, MIN_YEAR

from .models import Area, ComplaintKind, Conclusion


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


def _radios():
    return forms.RadioSelect(attrs={"class": "form-check-input"})


def _bounded(value):
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise forms.ValidationError(_("Enter a date between %(low)s and %(high)s.") % {"low": MIN_YEAR,
                                                                                       "high": MAX_YEAR})
    return value


class SupervisionItemForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization checked"), queryset=None)
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    title = forms.CharField(label=_("What was checked"), max_length=200)
    finding = forms.CharField(label=_("Finding"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    checked_on = forms.DateField(label=_("Checked on"), widget=_date_widget())

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_checked_on(self):
        return _bounded(self.cleaned_data["checked_on"])


class RectificationForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Person responsible"), queryset=None)
    requirement = forms.CharField(label=_("What must be rectified"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=_date_widget())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean_deadline(self):
        return _bounded(self.cleaned_data["deadline"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ProgressForm(forms.Form):
    note = forms.CharField(label=pgettext_lazy("rectification", "What was done"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence (photos, PDF, Excel or Word; at most 5 files of 10 MB)"),
                              required=False)
    done = forms.BooleanField(label=_("The rectification is complete: ask the committee to verify it"),
                              required=False)


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=_radios(), choices=[
        ("close", _("Verified: close the rectification")), ("return", _("Not yet: it continues"))])
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _short_name(name: str) -> str:
    """A name as a public form shows it: the surname and 某 (王某)."""
    return f"{name[0]}某" if name else "—"


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplaintKind.choices, widget=_radios(),
                             initial=ComplaintKind.COMPLAINT)
    concerning = forms.ChoiceField(label=_("Whom it concerns"))
    text = forms.CharField(label=_("What happened"), min_length=10, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 6}))
    anonymous = forms.BooleanField(label=_("Anonymous: store nothing that leads back to me"), required=False,
                                   initial=True)
    contact_name = forms.CharField(label=_("Your name (if not anonymous)"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Your phone (if not anonymous)"), max_length=20, required=False)

    def __init__(self, *args, community, organizations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.organizations = {o.pk: o for o in organizations}
        self.roles = {r.pk: r for r in roles}
        choices = [(f"org:{o.pk}", _("%(org)s (the organization)") % {"org": o.name}) for o in organizations]
        choices += [(f"role:{r.pk}", f"{r.organization.name} · {RoleKind(r.kind).label} · "
                                     f"{_short_name(r.user.display_name or r.user.username)}") for r in roles]
        self.fields["concerning"].choices = choices

    def clean_contact_phone(self):
        from gongzhi.voice.forms import clean_phone

        return clean_phone(self.cleaned_data.get("contact_phone", ""))

    def clean(self):
        data = super().clean()
        value = data.get("concerning") or ""
        kind, _sep, pk = value.partition(":")
        data["organization"], data["subject_user"], data["subject_role"] = None, None, ""
        if kind == "org" and pk.isdigit() and int(pk) in self.organizations:
            data["organization"] = self.organizations[int(pk)]
        elif kind == "role" and pk.isdigit() and int(pk) in self.roles:
            role = self.roles[int(pk)]
            data["organization"], data["subject_user"], data["subject_role"] = role.organization, role.user, role.kind
        elif value:
            self.add_error("concerning", _("Choose from the list."))
        return data


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt"), max_length=40,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    reply = forms.BooleanField(label=_("Send as a reply the complainant reads with the receipt"), required=False)


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion (the complainant reads it)"), max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), max_length=64, required=False)
    start = forms.DateField(label=pgettext_lazy("audit", "From"), required=False, widget=_date_widget())
    end = forms.DateField(label=pgettext_lazy("audit", "Until"), required=False, widget=_date_widget())

    def clean_start(self):
        return _bounded(self.cleaned_data.get("start"))

    def clean_end(self):
        return _bounded(self.cleaned_data.get("end"))
