"""The edge toolkit: one way for views and API operations to refuse and to report a service's refusal.

* ``require(allowed)`` in a view, ``api_require(allowed)`` in an API operation: a refusal looks like
  "does not exist" (404), as docs/security.md asks, so nobody learns what lies outside his or her scope.
* ``add_to_form(form, error)``: a service's ``ValidationError`` shown on the form it came from (field
  errors on their fields, the rest above the form).
* ``api_error(error)``: the same ``ValidationError`` as the API's 422 answer, ``{"detail": "…"}``.
* ``messages_of(error)``: its messages as one sentence, for a flash message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404
from ninja.errors import HttpError


def require(allowed: bool) -> None:
    """Refuse a page as if it did not exist unless ``allowed``."""
    if not allowed:
        raise Http404


def api_require(allowed: bool) -> None:
    """Refuse an API operation as if its object did not exist unless ``allowed``."""
    if not allowed:
        raise HttpError(404, "Not found")


def messages_of(error: ValidationError) -> str:
    """A ``ValidationError``'s messages, in the user's language, as one line."""
    return " ".join(str(m) for m in error.messages)


def add_to_form(form: Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: errors naming one of the form's fields go
    there, everything else becomes a non-field error."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def api_error(error: ValidationError) -> HttpError:
    """The API's answer to a service's refusal: 422 with the messages as ``detail``."""
    return HttpError(422, messages_of(error))
