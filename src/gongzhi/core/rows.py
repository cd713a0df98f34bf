"""Rendering list rows cheaply: what a row needs is prepared once per page, not once per row.

A list page of 50 rows spent more time rendering its rows than reading them (docs/scaling.md, "Still above
the ceiling"): ``{% url %}`` resolves the URL name again for every row, ``get_FOO_display()`` rebuilds the
field's whole choice mapping at every call (Django's ``Model._get_FIELD_display`` flattens and hashes every
choice each time), and each number goes through the locale's formats. The helpers here move that work out
of the loop:

- ``RowUrl("app:name")`` reverses the URL once and formats each row's id into it
  (``RowUrl("points:reverse")(entry.pk)`` is ``reverse("points:reverse", args=[entry.pk])``);
- ``RowMarkup(markup)`` writes a list's rows from one format string whose fields are escaped
  (``format_html``), instead of a template loop that resolves, localizes and escapes each variable through
  a dozen calls (a 50-row list spent more than the rest of the page in its loop);
- ``install_choice_labels()`` (run by ``core.apps`` at start-up) gives every model field with a fixed list of
  choices a ``get_FOO_display()`` that looks the value up in a mapping built once per field. The label stays
  lazy (translated at each call, in the request's language) and the result is the same as Django's: the
  label, or the value itself when it is not one of the choices.
"""

from __future__ import annotations

import html
import string
import unicodedata
from functools import partialmethod

from django import forms
from django.urls import reverse
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

_PLACEHOLDER = 2_147_483_000  # an id no table reaches in these tests; replaced by each row's id


class RowMarkup:
    """A list's rows written from one format string (``str.format`` fields, each escaped as the template's
    autoescaping does): ``RowMarkup('<li><a href="{url}">{title}</a></li>').join(rows)`` with one mapping of
    field values per row. A value already marked safe (a badge built with ``format_html``) is kept as it is.
    The markup keeps the page's HTML as the template wrote it; the template shows the joined rows.

    The format string is turned once into the same markup as a ``%``-template of its named fields (a row written
    by ``template % mapping`` costs a third of ``str.format(**mapping)``); a markup with a conversion or format spec
    in a field keeps ``str.format``."""

    def __init__(self, markup: str):
        self.markup = markup
        parts, plain = [], True
        for literal, field, spec, conversion in string.Formatter().parse(markup):
            parts.append(literal.replace("%", "%%"))
            if field is not None:
                plain &= field.isidentifier() and not spec and conversion is None
                parts.append(f"%({field})s")
        self._template = "".join(parts) if plain else None

    def _fill(self):
        if self._template is None:
            return lambda row: self.markup.format(**row)
        template = self._template
        return lambda row: template % row

    def join(self, rows) -> str:
        fill = self._fill()
        return mark_safe("".join([fill({name: escaped(value) for name, value in row.items()})  # noqa: S308
                                  for row in rows]))  # (every field escaped)

    def join_escaped(self, rows) -> str:
        """``join`` of rows whose every value is escaped already (``html.escape``, or markup such as a badge or a
        label escaped once per page): written as they are, without a call per value. The caller escapes."""
        fill = self._fill()
        return mark_safe("".join([fill(row) for row in rows]))  # noqa: S308  (the caller escaped every value)


def escaped(value) -> str:
    """``conditional_escape(value)``, with a plain string's short path (``html.escape``, as Django's
    ``escape``) and a safe string's (itself, as its ``__html__`` gives it): a row's dozen fields are mostly
    plain strings and markup already written, which ``conditional_escape``'s lazy-text wrapper would inspect."""
    if type(value) is str:
        return html.escape(value)
    if type(value) is SafeString:
        return value
    return conditional_escape(value)


def truncated(text: str, length: int) -> str:
    """``Truncator(text).chars(length)`` (the text cut to ``length`` characters, the ellipsis included), with the
    short path of a text already that short and in Unicode's composed form (NFC), which it returns as it is: a
    list's short texts skip the lazy wrapper and the per-character walk."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    from django.utils.text import Truncator

    return Truncator(text).chars(length)


def choice_labels(model, field_name: str) -> dict:
    """A field's choice labels translated once (for a page's rows): ``labels.get(value, value)`` is
    ``obj.get_FOO_display()``."""
    field = model._meta.get_field(field_name)
    return {value: force_str(label) for value, label in field.flatchoices}


def local_clock(fmt: str = "%Y-%m-%d %H:%M"):
    """``local_minute`` for a page's rows, the current time zone looked up once: the function
    ``value -> value in the current time zone as fmt`` ("" for None). The two formats the lists show are written
    with ``%`` formatting, the same text as ``strftime`` (whose year is not padded either) at a third of its cost."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    if fmt == "%Y-%m-%d %H:%M":
        def show(value) -> str:
            if value is None:
                return ""
            value = value.astimezone(zone)
            # ``%`` rather than an f-string: about half its cost for five numbers.
            return "%d-%02d-%02d %02d:%02d" % (value.year, value.month, value.day, value.hour, value.minute)  # noqa: UP031
    elif fmt == "%H:%M":
        def show(value) -> str:
            if value is None:
                return ""
            value = value.astimezone(zone)
            return "%02d:%02d" % (value.hour, value.minute)  # noqa: UP031
    else:
        def show(value) -> str:
            return value.astimezone(zone).strftime(fmt) if value is not None else ""

    return show


class RowUrl:
    """The URL ``name`` for one row's id (an integer), reversed once.

    ``RowUrl("members:detail")(42) == reverse("members:detail", args=[42])`` for any id: the pattern is
    reversed with a placeholder id whose digits are then replaced (ids are plain digits, never quoted)."""

    def __init__(self, name: str, *args):
        url = reverse(name, args=[*args, _PLACEHOLDER])
        marker = str(_PLACEHOLDER)
        if url.count(marker) != 1:  # pragma: no cover - a pattern that repeats the id
            raise ValueError(f"{name}: the id must appear once in the URL")
        self.head, self.tail = url.split(marker)

    def __call__(self, pk) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


def _fast_display(field):
    labels = dict(make_hashable(field.flatchoices))

    def display(self):
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a JSON field's list): as Django does
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    display.__doc__ = f"The label of {field.name}'s value (its choices mapped once)."
    return display


def install_choice_labels() -> int:
    """Give every concrete model field with fixed choices a ``get_FOO_display`` that does not rebuild its
    choices at each call; returns how many were installed. A model that defines its own method keeps it;
    choices given as a callable (evaluated at each use) keep Django's."""
    from django.apps import apps

    installed = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices or isinstance(field.choices, CallableChoiceIterator):
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if not isinstance(current, partialmethod):  # defined by the model itself, or inherited
                continue
            if field.model is not model:
                continue
            setattr(model, name, _fast_display(field))
            installed += 1
    return installed


def local_minute(value) -> str:
    """An aware date-time as ``{{ value|date:"Y-m-d H:i" }}`` shows it (in the current time zone)."""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value is not None else ""


class FastSelect(forms.Select):
    """A ``<select>`` whose options are written in Python rather than through one template include per
    option: the same HTML as Django's ``Select`` (``tests/core/test_rows.py`` compares them), without the
    cost of a hundred includes on a filter that lists a street's grids or branches."""

    @staticmethod
    def _attrs(attrs: dict) -> str:
        out = []
        for name, value in attrs.items():
            if value is False:
                continue
            out.append(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)))
        return "".join(out)

    def render(self, name, value, attrs=None, renderer=None):
        # Django's ``get_context`` and ``optgroups``, with each option written at once rather than built as a
        # dictionary for the template (a street's hundred grids were 300 ``format_html`` calls and 100 dicts).
        chosen = self.format_value(value)
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        parts = [format_html('<select name="{}"', name), self._attrs(final), ">"]
        has_selected = False
        for group_value, group_label in self.choices:
            if group_value is None:
                group_value = ""
            grouped = isinstance(group_label, list | tuple)
            group_name = group_value if grouped else None
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in chosen
                has_selected |= selected
                # the option template's newline after each option
                parts.append(f'\n  <option value="{html.escape(str(option_value))}"{" selected" if selected else ""}>'
                             f"{escaped(label)}</option>\n")
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every part above is escaped)


class FastInput(forms.TextInput):
    """A text ``<input>`` written in Python rather than through its template and the attributes' include: the same
    HTML as Django's ``TextInput`` (``tests/core/test_rows.py`` compares them), for a list page's filter form."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else format_html(' value="{}"', str(value))
        return mark_safe(format_html('<input type="{}" name="{}"', self.input_type, name)  # noqa: S308
                         + shown + FastSelect._attrs(self.build_attrs(self.attrs, attrs)) + ">")  # (each part escaped)


def fast_inputs(form):
    """Render the form's plain text inputs with ``FastInput`` (same markup, no template per input)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.TextInput:
            fast = FastInput(attrs={**widget.attrs, "type": widget.input_type})
            fast.is_required, fast.is_localized = widget.is_required, widget.is_localized
            field.widget = fast
    return form


def fast_selects(form):
    """Render the form's plain single selects with ``FastSelect`` (same markup, no include per option)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            fast = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            fast.is_required, fast.is_localized = field.widget.is_required, field.widget.is_localized
            field.widget = fast
    return form
