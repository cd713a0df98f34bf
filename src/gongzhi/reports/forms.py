"""Forms of the reports: asking for a summary or a workbook; the secretary's edits are read from the page's
fields by name (one per section and per problem), see ``views.summary_save``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongzhi.core.periods import FIRST_DAY, LAST_DAY, MAX_YEAR, MIN_YEAR, Period

from .models import PeriodKind


class SummaryRequestForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    period = forms.ChoiceField(label=_("Period of the summary"), choices=PeriodKind.choices, initial=PeriodKind.YEAR)
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    number = forms.IntegerField(label=_("Half-year or quarter"), min_value=1, max_value=4, required=False,
                                help_text=_("1–2 for a half-year, 1–4 for a quarter."))
    start = forms.DateField(label=_("First day of the range"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day of the range"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].initial = organizations.first()
        self.fields["year"].initial = timezone.localdate().year
        self.fields["language"].initial = "en" if (get_language() or "").startswith("en") else "zh-hans"

    def clean(self):
        data = super().clean()
        kind, year, number = data.get("period"), data.get("year"), data.get("number")
        if kind is None or (kind != PeriodKind.RANGE and year is None):
            return data
        if kind == PeriodKind.RANGE:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give the first and the last day of the range."))
            if end < start or start < FIRST_DAY or end > LAST_DAY:
                raise forms.ValidationError(_("The range must end after it starts, within 2000–2100."))
            data["the_period"] = Period(start, end, "range")
        elif kind == PeriodKind.YEAR:
            data["the_period"] = Period.year(year)
        else:
            limit = 2 if kind == PeriodKind.HALF else 4
            if number is None or not 1 <= number <= limit:
                raise forms.ValidationError({"number": _("Give a number from 1 to %(n)s.") % {"n": limit}})
            data["the_period"] = Period.half(year, number) if kind == PeriodKind.HALF else Period.quarter(year, number)
        return data


class StatisticsRequestForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    at_date = forms.DateField(label=_("At date"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language of the workbook"), choices=settings.LANGUAGES)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].initial = organizations.first()
        self.fields["at_date"].initial = timezone.localdate()
        self.fields["language"].initial = "en" if (get_language() or "").startswith("en") else "zh-hans"

    def clean_at_date(self):
        day = self.cleaned_data["at_date"]
        if not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("Give a date within 2000–2100."))
        return day
