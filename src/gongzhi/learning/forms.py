"""Forms of the learning app: each lists its fields; choices are limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.validators import plausible_date

from .models import (
    REFLECTION_MAX,
    AttendanceStatus,
    Course,
    CourseKind,
    MaterialKind,
    QuestionKind,
    TraineeCategory,
)


class StudyForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes spent"), min_value=1, max_value=600, initial=30)
    reflection = forms.CharField(label=_("A short reflection (optional)"), required=False,
                                 max_length=REFLECTION_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class MaterialForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Publish to"), queryset=None, empty_label=None,
                                          help_text=_("Members of this organization and everything under it."))
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    body = forms.CharField(label=_("Text"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    suggested_minutes = forms.IntegerField(label=_("Suggested minutes"), min_value=1, max_value=600, initial=30)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ProgrammeForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Published by"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    module = forms.CharField(label=_("Module"), max_length=50)
    hours = forms.DecimalField(label=pgettext_lazy("study", "Hours"), min_value=0.5, max_value=99, decimal_places=1)
    teacher = forms.CharField(label=_("Teacher"), max_length=50, required=False)
    materials = forms.CharField(label=_("Materials (text and links, one per line)"), required=False,
                                max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("File (PDF, Word, PowerPoint, image)"), required=False)


class CourseEditForm(CourseForm):
    file = None


class TrainingClassForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organized by"), queryset=None, empty_label=None)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    category = forms.ChoiceField(label=_("Category of members"), choices=TraineeCategory.choices)
    starts_on = forms.DateField(label=_("Starts"), validators=[plausible_date],
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), validators=[plausible_date],
                              widget=forms.DateInput(attrs={"type": "date"}))
    required_hours = forms.DecimalField(label=_("Required hours"), min_value=0.5, max_value=999, decimal_places=1)
    min_electives = forms.IntegerField(label=_("Electives each member must complete"), min_value=0, max_value=50,
                                       initial=1)
    courses = forms.ModelMultipleChoiceField(
        label=_("Courses: exactly two required, any electives"), queryset=None,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organizations, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["programme"].queryset = programmes
        self.fields["courses"].queryset = Course.objects.filter(programme__in=programmes).select_related("programme")
        self.fields["courses"].label_from_instance = (
            lambda c: f"{c.programme.title} · {c.title}（{c.get_kind_display()}，{c.module}，{c.hours}）")


class EnrolForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=None,
                                             widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    held_on = forms.DateField(label=_("Date"), validators=[plausible_date],
                              widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=pgettext_lazy("study", "Hours"), min_value=0.5, max_value=24, decimal_places=1,
                               required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


ATTENDANCE_CHOICES = AttendanceStatus.choices


CHOICES_PER_QUESTION = 6


class QuizForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=60)


class QuestionForm(forms.Form):
    """One question with up to six choices; a blank question is skipped."""

    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices, initial=QuestionKind.SINGLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, CHOICES_PER_QUESTION + 1):
            self.fields[f"choice_{n}"] = forms.CharField(label=_("Choice %(n)s") % {"n": n}, max_length=200,
                                                         required=False)
            self.fields[f"correct_{n}"] = forms.BooleanField(label=_("Correct"), required=False)

    def choice_rows(self):
        return [(self[f"choice_{n}"], self[f"correct_{n}"]) for n in range(1, CHOICES_PER_QUESTION + 1)]

    def draft(self):
        """The question as the service takes it, or None when left blank."""
        from .services import QuestionDraft

        data = self.cleaned_data
        text = (data.get("text") or "").strip()
        choices = [(data[f"choice_{n}"].strip(), data[f"correct_{n}"]) for n in range(1, CHOICES_PER_QUESTION + 1)
                   if (data.get(f"choice_{n}") or "").strip()]
        if not text and not choices:
            return None
        if not text:
            raise forms.ValidationError(_("A question has choices but no text."))
        return QuestionDraft(text=text, kind=data["kind"], choices=choices)


QuestionFormSet = forms.formset_factory(QuestionForm, extra=0, max_num=50, validate_max=True)
