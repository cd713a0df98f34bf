"""Forms of the publicity board and the news (each lists its fields)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.periods import MAX_YEAR, MIN_YEAR, Period
from gongzhi.orgs.models import Grid

from . import catalogue
from .models import Category, Frequency, PostKind


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


def period_value(period: Period) -> str:
    return f"{period.kind}:{period.start.isoformat()}:{period.end.isoformat()}"


def parse_period_value(value: str) -> Period | None:
    try:
        kind, start, end = value.split(":")
        period = Period(date.fromisoformat(start), date.fromisoformat(end), kind)
    except (ValueError, TypeError):
        return None
    if kind not in catalogue.PERIOD_KINDS.values() or not MIN_YEAR <= period.start.year <= MAX_YEAR:
        return None
    return period if Period.containing(kind, period.start) == period else None


def _bounded(value: date | None) -> date | None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise forms.ValidationError(_("Enter a date between %(low)s and %(high)s.") % {"low": MIN_YEAR,
                                                                                       "high": MAX_YEAR})
    return value


class ItemForm(forms.Form):
    catalogue_key = forms.ChoiceField(label=_("Catalogue entry"), required=False)
    period = forms.ChoiceField(label=_("Period covered"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices,
                                 help_text=_("An item of the catalogue takes the entry's category."))
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    visible_from = forms.DateField(label=_("On the board from"), widget=_date_widget())
    visible_until = forms.DateField(label=_("On the board until"), required=False, widget=_date_widget(),
                                    help_text=_("Empty: until it is replaced. Afterwards it stays in the archive."))

    def __init__(self, *args, organization, entries, current_period: Period | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.entries = {e.key: e for e in entries}
        self.fields["catalogue_key"].choices = [("", _("— not in the catalogue —"))] + [
            (e.key, f"{e.title} ({e.frequency_label()})") for e in entries]
        self.fields["category"].choices = [(c, Category.label_for(c, organization.kind)) for c in Category.values]
        # Choosing an entry reloads the periods it may cover (htmx renders the form's period field only).
        self.fields["catalogue_key"].widget.attrs.update({
            "hx-get": reverse("publicity:item_new", args=[organization.pk]), "hx-target": "#period-field",
            "hx-swap": "outerHTML", "hx-trigger": "change"})
        key = self.data.get("catalogue_key") if self.is_bound else self.initial.get("catalogue_key")
        self.set_periods(self.entries.get(key or ""), current_period)

    def set_periods(self, entry, current_period: Period | None = None) -> None:
        periods = catalogue.open_periods(self.organization, entry) if entry is not None else []
        if current_period is not None and current_period not in periods:
            periods.insert(0, current_period)
        self.fields["period"].choices = [("", "—")] + [(period_value(p), p.label) for p in periods]

    def clean_visible_from(self):
        return _bounded(self.cleaned_data["visible_from"])

    def clean_visible_until(self):
        return _bounded(self.cleaned_data.get("visible_until"))

    def clean_period(self):
        value = self.cleaned_data.get("period") or ""
        if not value:
            return None
        period = parse_period_value(value)
        if period is None:
            raise forms.ValidationError(_("Choose a period from the list."))
        return period


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, photo, Excel .xlsx or Word .docx; at most 10 MB)"))


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    contact_phone = forms.CharField(label=_("Phone for a call back (optional)"), max_length=20, required=False)
    anonymous = forms.BooleanField(label=_("Keep my contact details from the handlers (anonymous)"),
                                   required=False)

    def clean_contact_phone(self):
        from gongzhi.voice.forms import clean_phone

        return clean_phone(self.cleaned_data.get("contact_phone", ""))


class BoardForm(forms.Form):
    opened_on = forms.DateField(label=_("Obligations counted from"), widget=_date_widget(),
                                help_text=_("Publications owed for periods that ended before this day are not "
                                            "listed as overdue."))
    intro = forms.CharField(label=_("Introduction on the public page"), max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean_opened_on(self):
        return _bounded(self.cleaned_data["opened_on"])


class RuleForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    due_days = forms.IntegerField(label=_("Days allowed"), min_value=0, max_value=366)
    active = forms.BooleanField(label=pgettext_lazy("catalogue", "Required"), required=False)


class CustomEntryForm(forms.Form):
    title = forms.CharField(label=_("What is published"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    frequency = forms.ChoiceField(label=_("How often"),
                                  choices=[c for c in Frequency.choices if c[0] != Frequency.EVENT])
    due_days = forms.IntegerField(label=_("Days allowed after the period"), min_value=0, max_value=366,
                                  initial=15)


class PostForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Community or village"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=PostKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    activity = forms.ModelChoiceField(label=_("Activity reported on"), queryset=None, required=False)
    to_public = forms.BooleanField(label=_("On the public page"), required=False, initial=True)
    to_residents = forms.BooleanField(label=_("To residents"), required=False, initial=True)
    to_members = forms.BooleanField(label=_("To party members"), required=False, initial=True)
    grids = forms.ModelMultipleChoiceField(label=_("Only residents of these grids (none: the whole community)"),
                                           queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    needs_ack = forms.BooleanField(label=_("Ask readers to confirm they have read it (notices only)"),
                                   required=False)

    def __init__(self, *args, organizations, **kwargs):
        from gongzhi.service.models import Activity

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["grids"].queryset = Grid.objects.filter(community__in=organizations).order_by("code")
        # Activities of the last four months and the next one, of the communities' own organizations.
        now = timezone.now()
        query = Q(pk__in=[])
        for organization in organizations:
            query |= Q(organization__path__startswith=organization.path)
        self.fields["activity"].queryset = (Activity.objects.filter(query, cancelled_at__isnull=True,
                                                                    starts_at__gte=now - timedelta(days=120),
                                                                    starts_at__lte=now + timedelta(days=31))
                                            .select_related("organization").order_by("-starts_at"))
        self.fields["activity"].label_from_instance = lambda a: f"{a.starts_at:%Y-%m-%d} {a.title}"

    def clean(self):
        data = super().clean()
        organization = data.get("organization")
        if organization is not None:
            grids = data.get("grids") or []
            if any(g.community_id != organization.pk for g in grids):
                self.add_error("grids", _("The grid is not in this community."))
            activity = data.get("activity")
            if activity is not None and not activity.organization.path.startswith(organization.path):
                self.add_error("activity", _("The activity is not one of this community's."))
        return data


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo (JPEG, PNG, GIF or WebP; at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
