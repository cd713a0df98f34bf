"""Model fields that keep personal data encrypted in the database (core.crypto).

``EncryptedCharField``, ``EncryptedTextField`` and ``EncryptedDecimalField`` read and write plain
Python values (``member.id_number`` works as before) and store ``v1:<base64>`` text. They cannot be
searched by value: an ``exact`` lookup other than the empty string, ``in``, ``endswith`` … raise at once
(a filter that silently never matched would be worse). What must stay searchable or unique is kept
beside the value, computed on every save:

* ``BlindIndexField(source=, kind=)`` — the keyed HMAC of the normalised value: put the unique
  constraint and the exact search on it (``Member.objects.filter(id_number_bidx__in=blind_indexes(...))``
  or :func:`lookup`);
* ``LastCharsField(source=, kind=)`` — the last four characters, for masked display on list pages
  (no decryption) and the suffix search pages offer.

They are computed in ``pre_save`` (``save()``, ``bulk_create()``); ``save(update_fields=[...])`` adds them
on models deriving from :class:`SealedModel`; ``bulk_update()`` needs :func:`fill_companions` first and
``QuerySet.update()`` needs :func:`sealed_update`.

The personal-data registry drives encryption: a field registered sensitive (or with an ID, phone or
address mask) that is still a plain ``CharField``/``TextField``/``DecimalField`` is turned into its
encrypted kind when registered (:func:`seal_field`), and ``makemigrations`` then writes the migration
that changes its column. Empty values ("" and NULL) are stored as they are.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull

from . import crypto


def _index_of(field):
    for f in field.model._meta.concrete_fields:
        if isinstance(f, BlindIndexField) and f.source == field.name:
            return f
    return None


class SealedExact(Exact):
    """``field=""`` (or None) compares the stored empty value. Any other value goes through the field's
    blind index (``member.id_number == x`` ⇔ ``id_number_bidx IN (HMAC(x))``); a field without one
    cannot be compared with a value and refuses loudly (a filter that silently never matched would be
    worse)."""

    def get_prep_lookup(self):
        if self.rhs in ("", None) or hasattr(self.rhs, "resolve_expression"):
            return super().get_prep_lookup()
        return self.rhs

    def as_sql(self, compiler, connection):
        if self.rhs in ("", None):
            return super().as_sql(compiler, connection)
        return compiler.compile(_through_index(self.lhs, [self.rhs]))


class SealedIn(In):
    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        return compiler.compile(_through_index(self.lhs, list(self.rhs)))


def _through_index(lhs, values):
    field = getattr(lhs, "target", None)
    index = _index_of(field) if isinstance(lhs, Col) else None
    if index is None:
        raise FieldError(f"{getattr(field, 'model', type(None)).__name__}.{getattr(field, 'name', '?')} is "
                         "encrypted and has no blind index: it cannot be compared with a value.")
    digests = [d for value in values for d in crypto.blind_indexes(index.kind, value)]
    return In(Col(lhs.alias, index), digests or ["-"])


class EncryptedMixin:
    """Seals on the way to the database, opens on the way back."""

    encrypted = True

    def db_type(self, connection):
        return connection.data_types["TextField"] if "TextField" in connection.data_types else "text"

    def get_internal_type(self):
        return "TextField"

    def rel_db_type(self, connection):  # pragma: no cover - never a foreign key target
        return self.db_type(connection)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return SealedExact
        if lookup_name == "in":
            return SealedIn
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name):
        return None

    def plain_to_text(self, value) -> str:
        return str(value)

    def text_to_plain(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return self.text_to_plain(crypto.unseal(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): its values are sealed inside
            return value
        value = self.to_python(value) if not isinstance(value, str) else value
        if value in (None, ""):
            return value
        return crypto.seal(self.plain_to_text(value))

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else self.plain_to_text(value)


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A ``CharField`` stored encrypted; ``max_length`` still bounds the plain value (forms, validation)."""

    def cast_db_type(self, connection):
        return self.db_type(connection)


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedDecimalField(EncryptedMixin, models.DecimalField):
    """A ``DecimalField`` stored encrypted: no sums or ranges in SQL (compute them in Python on the rows
    one may see); range rules live in validators, not in CHECK constraints."""

    def plain_to_text(self, value) -> str:
        return str(self.to_python(value))

    def text_to_plain(self, text: str):
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - only a sealed non-number
            raise crypto.TamperedValue("not a number") from exc

    def get_db_prep_value(self, value, connection, prepared=False):
        if hasattr(value, "as_sql"):
            return value
        value = self.to_python(value)
        if value is None:
            return None
        return crypto.seal(self.plain_to_text(value))


ENCRYPTED_KINDS = {
    models.CharField: EncryptedCharField,
    models.TextField: EncryptedTextField,
    models.DecimalField: EncryptedDecimalField,
}


class _Companion(models.CharField):
    """A column computed from a sealed field on every save (never edited by hand)."""

    def __init__(self, *args, source: str = "", kind: str = "id", **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["kind"] = self.source, self.kind
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def compute(self, value):
        """The column's value for ``value`` of the source: each kind of companion says how (``BlindIndexField``,
        ``LastCharsField``); the base class is never a model field itself."""
        raise NotImplementedError

    def pre_save(self, model_instance, add):
        value = self.compute(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class BlindIndexField(_Companion):
    """The blind index of ``source`` (hex HMAC); NULL when the source is empty, so that a unique constraint
    on it allows many empty values."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def compute(self, value):
        return crypto.blind_index(self.kind, value)


class LastCharsField(_Companion):
    """The last four characters of ``source`` (normalised), "" when it is empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def compute(self, value):
        return crypto.last_chars(self.kind, value, self.max_length)


def companions(model, names) -> list[str]:
    """The computed columns that follow the given fields (for ``save(update_fields=...)``)."""
    names = set(names)
    return [f.name for f in model._meta.concrete_fields if isinstance(f, _Companion) and f.source in names]


def fill_companions(instance) -> None:
    """Compute an instance's blind indexes and last characters now (before ``bulk_update``, which does not
    call ``pre_save``)."""
    for f in instance._meta.concrete_fields:
        if isinstance(f, _Companion):
            f.pre_save(instance, False)


def sealed_update(model, **values) -> dict:
    """``QuerySet.update()`` keyword arguments with the blind indexes and last characters of the encrypted
    fields among them: ``qs.update(**sealed_update(Resident, phone="", id_number=None))``. (``update()``
    does not call ``pre_save``: without this the index would still find the old value.)"""
    out = dict(values)
    for f in model._meta.concrete_fields:
        if isinstance(f, _Companion) and f.source in values:
            out[f.name] = f.compute(values[f.source])
    return out


def with_companions(model, update_fields):
    if update_fields is None:
        return None
    names = list(update_fields)
    return names + [name for name in companions(model, names) if name not in names]


class SealedModel(models.Model):
    """A model with blind indexes: ``save(update_fields=[...])`` also saves the indexes of those fields."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_companions(type(self), kwargs["update_fields"])
        return super().save(*args, **kwargs)


def index_field(model, source: str) -> BlindIndexField:
    for f in model._meta.concrete_fields:
        if isinstance(f, BlindIndexField) and f.source == source:
            return f
    raise FieldError(f"{model.__name__}.{source} has no blind index")


def lookup(model, source: str, value) -> models.Q:
    """``Q`` matching rows whose ``source`` equals ``value`` after normalisation (through the blind index;
    matches nothing for an empty value)."""
    field = index_field(model, source)
    values = crypto.blind_indexes(field.kind, value)
    return models.Q(**{f"{field.name}__in": values}) if values else models.Q(pk__in=[])


def lookup_many(model, source: str, values) -> tuple[models.Q, dict[str, str]]:
    """``Q`` for many values at once and the map blind index → normalised value (to match rows back)."""
    field = index_field(model, source)
    by_index: dict[str, str] = {}
    for value in values:
        normal = crypto.NORMALISERS[field.kind](value) if value else ""
        for index in crypto.blind_indexes(field.kind, value):
            by_index[index] = normal
    return models.Q(**{f"{field.name}__in": list(by_index)}), by_index


def is_encrypted(field) -> bool:
    return getattr(field, "encrypted", False) is True


def sealed_names(model) -> list[str]:
    """The names of a model's encrypted fields: ``qs.defer(*sealed_names(Member))`` loads a record without
    decrypting anything, for a code path that never reads them (reading one later costs a query)."""
    return [f.name for f in model._meta.concrete_fields if is_encrypted(f)]


def seal_field(model, name: str) -> None:
    """Turn a registered plain field into its encrypted kind (the registry drives encryption)."""
    field = model._meta.get_field(name)
    if is_encrypted(field):
        return
    kind = ENCRYPTED_KINDS.get(type(field))
    if kind is None:
        raise ImproperlyConfigured(f"{model._meta.label}.{name} is registered for encryption but a "
                                   f"{type(field).__name__} cannot be encrypted: use a CharField, TextField or "
                                   "DecimalField, or register it with plain=<reason>.")
    if field.unique:
        raise ImproperlyConfigured(f"{model._meta.label}.{name} is registered for encryption but unique: an "
                                   "encrypted column cannot be unique. Add a BlindIndexField(unique=True) "
                                   "beside it (core.fields) and drop unique=True.")
    field.__class__ = kind
    field.db_index = False
