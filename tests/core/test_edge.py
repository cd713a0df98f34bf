"""The edge toolkit: refusals look like 'does not exist'; a service's errors land on the form or the API."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja.errors import HttpError

from gongzhi.core import edge


class _Form(forms.Form):
    title = forms.CharField()


def test_refusals_are_404s():
    edge.require(True)
    edge.api_require(True)
    with pytest.raises(Http404):
        edge.require(False)
    with pytest.raises(HttpError) as refused:
        edge.api_require(False)
    assert refused.value.status_code == 404


def test_field_errors_land_on_their_field_and_the_rest_above_the_form():
    form = _Form({"title": "x"})
    assert form.is_valid()
    edge.add_to_form(form, ValidationError({"title": "Too short.", "other": "Not a field."}))
    assert form.errors["title"] == ["Too short."]
    assert form.non_field_errors() == ["Not a field."]
    plain = _Form({"title": "x"})
    plain.is_valid()
    edge.add_to_form(plain, ValidationError("Refused."))
    assert plain.non_field_errors() == ["Refused."]


def test_the_api_answers_422_with_every_message():
    error = edge.api_error(ValidationError(["One.", "Two."]))
    assert error.status_code == 422 and str(error) == "One. Two."
