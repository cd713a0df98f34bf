"""Per-row rendering helpers (core.rows): a row's URL formatted from one reversal equals Django's reverse, and
the choice labels installed at start-up answer what Django's own ``get_FOO_display`` answers, in each language."""

from __future__ import annotations

from datetime import date, datetime
from functools import partialmethod

import pytest
from django.apps import apps
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.core.rows import RowUrl, local_minute
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.voice.models import Request, Status


@pytest.mark.parametrize("name", ["points:reverse", "voice:detail", "members:detail", "meetings:detail",
                                  "service:detail", "members:resident_edit"])
@pytest.mark.parametrize("pk", [1, 7, 42, 2_147_483_000, 10**12])
def test_a_row_url_is_what_reverse_gives(name, pk):
    assert RowUrl(name)(pk) == reverse(name, args=[pk])


def test_a_row_url_takes_only_integers():
    with pytest.raises(ValueError):
        RowUrl("voice:detail")("1/../../admin")


def _django_display(instance, field_name):
    field = instance._meta.get_field(field_name)
    return partialmethod(Model._get_FIELD_display, field=field).__get__(instance)()


def test_every_fixed_choice_field_has_the_cheap_label_and_it_answers_as_django_does():
    checked = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices or field.model is not model:
                continue
            method = getattr(model, f"get_{field.name}_display")
            assert not isinstance(method, partialmethod), (model, field.name)
            values = [value for value, _label in field.flatchoices][:5] + ["not-a-choice"]
            for value in values:
                instance = model()
                setattr(instance, field.attname, value)
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        assert getattr(instance, f"get_{field.name}_display")() == _django_display(
                            instance, field.name), (model, field.name, value, language)
            checked += 1
    assert checked > 20


def test_a_label_is_translated_at_each_call():
    entry = PointEntry(code=RuleCode.values[0])
    with translation.override("en"):
        english = entry.get_code_display()
    with translation.override("zh-hans"):
        chinese = entry.get_code_display()
    assert english != chinese
    assert Request(status=Status.RECEIVED).get_status_display()


def test_local_minute_is_the_date_filters_output():
    from django.template.defaultfilters import date as date_filter

    moment = timezone.make_aware(datetime(2025, 3, 1, 23, 30), timezone.get_fixed_timezone(0))
    assert local_minute(moment) == date_filter(timezone.localtime(moment), "Y-m-d H:i") == "2025-03-02 07:30"
    assert local_minute(None) == ""
    assert date(2025, 3, 1).isoformat() == date_filter(date(2025, 3, 1), "Y-m-d")


@pytest.mark.parametrize("value", [None, "", "b", "<x>", ["a"], "None", 3])
def test_a_fast_select_writes_what_djangos_select_writes(value):
    from django import forms

    from gongzhi.core.rows import FastSelect

    choices = [(None, "All"), ("a", "A & B"), ("b", '"quoted"'), ("<x>", "<script>"),
               ("Group", [("g1", "one"), ("g2", "two"), (None, "none")]), ("b", "twice"), (3, "three"),
               ("", [("in", "a group without a name")])]
    attrs = {"class": "form-select form-select-sm", "id": "id_f", "required": True, "disabled": False}
    plain = forms.Select(attrs=attrs, choices=choices).render("f", value)
    fast = FastSelect(attrs=attrs, choices=choices).render("f", value)
    assert fast == plain


@pytest.mark.parametrize("value", [None, "", "b", "<x> & \"q\"", 42])
@pytest.mark.parametrize("attrs", [{}, {"type": "month", "class": "form-control", "id": "id_f", "required": True,
                                        "disabled": False, "placeholder": "<a & b>", "maxlength": 20}])
def test_a_fast_input_writes_what_djangos_text_input_writes(value, attrs):
    from django import forms

    from gongzhi.core.rows import FastInput, fast_inputs

    assert FastInput(attrs=attrs).render("f", value) == forms.TextInput(attrs=attrs).render("f", value)

    class Filter(forms.Form):
        f = forms.CharField(required=False, widget=forms.TextInput(attrs=attrs))
        n = forms.IntegerField(required=False)

    plain, fast = Filter({"f": value or ""}), fast_inputs(Filter({"f": value or ""}))
    assert isinstance(fast.fields["f"].widget, FastInput) and not isinstance(fast.fields["n"].widget, FastInput)
    assert str(fast["f"]) == str(plain["f"]) and str(fast["n"]) == str(plain["n"])


def test_fast_selects_keeps_a_model_choices_list_and_its_selection(db):
    from django import forms

    from gongzhi.core.rows import FastSelect, fast_selects
    from gongzhi.orgs.models import Organization

    class Filter(forms.Form):
        org = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False, empty_label="All")
        kind = forms.ChoiceField(choices=[("", "All"), ("x", "X")], required=False)
        text = forms.CharField(required=False)

    orgs = [Organization.objects.create(code=f"T{i}", name=f"Org <{i}>", kind="street") for i in range(3)]
    plain = Filter({"org": str(orgs[1].pk), "kind": "x"})
    plain.fields["org"].queryset = Organization.objects.filter(code__startswith="T").order_by("code")
    fast = Filter({"org": str(orgs[1].pk), "kind": "x"})
    fast.fields["org"].queryset = Organization.objects.filter(code__startswith="T").order_by("code")
    fast_selects(fast)
    assert isinstance(fast.fields["org"].widget, FastSelect)
    assert not isinstance(fast.fields["text"].widget, FastSelect)
    for name in ("org", "kind", "text"):
        assert str(fast[name]) == str(plain[name])
    assert fast.is_valid() and fast.cleaned_data["org"] == orgs[1]


@pytest.mark.parametrize("text", ["", "短", "x" * 80, "y" * 81, "很长的诉求" * 30, "e\u0301t\u00e9 <b>",
                                  "Cafe\u0301 " * 20, "a" * 79 + "\u0301", "a" * 80 + "\u0301", "\u0301" * 3])
def test_truncated_is_truncators_chars(text):
    from django.utils.text import Truncator

    from gongzhi.core.rows import truncated

    assert truncated(text, 80) == Truncator(text).chars(80)


def test_escaped_is_conditional_escape():
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import SafeString, mark_safe
    from django.utils.translation import gettext_lazy

    from gongzhi.core.rows import escaped

    for value in ("<a href='x'>&\"</a>", "", "社区", mark_safe("<b>&amp;</b>"), format_html("<i>{}</i>", "<&>"),
                  gettext_lazy("Cancelled"), 42, None):
        assert escaped(value) == conditional_escape(value)
        if isinstance(value, SafeString):  # markup already written stays marked safe
            assert type(escaped(value)) is SafeString
