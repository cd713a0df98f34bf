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
