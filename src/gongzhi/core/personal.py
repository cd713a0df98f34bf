"""The personal-data registry and masking.

Every model field that holds personal data is declared here by its app (in the
app's ``personal.py`` or ``models.py``) with a category and a mask. Masking
happens on the server; a plain value leaves only through a logged reveal.
A test fails when a model grows an ID-, phone-, address- or health-like field
that is not registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    GENERAL = "general", _("General personal data")
    SENSITIVE = "sensitive", _("Sensitive personal data")
    MINOR = "minor", _("Data of a child under 14")


def mask_id_number(value: str | None) -> str:
    """4113**********1234: never shows the birth-date digits."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678"""
    if not value:
        return ""
    value = str(value)
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str | None) -> str:
    """Keeps the estate or street part, hides the house number."""
    if not value:
        return ""
    value = str(value)
    keep = min(6, max(len(value) // 3, 1))
    return value[:keep] + "****"


def mask_text(value) -> str:
    return "****" if value not in (None, "") else ""


#: Lengths of the masked forms built from the last four characters alone (no decryption needed).
MASKED_LENGTHS = {"id": 18, "phone": 11}


def mask_from_last4(last4: str | None, kind: str = "id") -> str:
    """``**************1234``: the masked form list pages show from the ``<field>_last4`` column kept
    beside an encrypted value, so that showing a list decrypts nothing."""
    if not last4:
        return ""
    return "*" * max(MASKED_LENGTHS.get(kind, 8) - len(last4), 4) + last4


MASKS: dict[str, Callable[[object], str]] = {
    "id": mask_id_number,
    "phone": mask_phone,
    "address": mask_address,
    "text": mask_text,
}


@dataclass(frozen=True)
class PersonalField:
    model: str  # app_label.ModelName (lower case)
    field: str
    category: str
    mask: str
    plain: str = ""  # why this field stays unencrypted ("" = it is encrypted)

    @property
    def encrypted(self) -> bool:
        return not self.plain and must_encrypt(self.category, self.mask)

    def apply(self, value) -> str:
        return MASKS[self.mask](value)


REGISTRY: dict[tuple[str, str], PersonalField] = {}


#: Masks whose data is encrypted in the database even when its category is general: phones,
#: addresses and ID numbers (docs/security.md, "Encryption at rest").
ENCRYPTED_MASKS = frozenset({"id", "phone", "address"})


def must_encrypt(category: str, mask: str) -> bool:
    """Sensitive and children's data, and every ID number, phone and address, are stored encrypted."""
    return category in (Category.SENSITIVE, Category.MINOR) or mask in ENCRYPTED_MASKS


def register(model: str, field: str, *, mask: str, category: str = Category.GENERAL, plain: str = "") -> None:
    """Declare a personal field. Unless ``plain`` gives the reason it cannot be, a sensitive field (and any
    ID number, phone or address) is encrypted from then on: a plain ``CharField``/``TextField``/
    ``DecimalField`` becomes its encrypted kind (core.fields), and ``makemigrations`` writes the change."""
    if mask not in MASKS:
        raise ValueError(f"unknown mask {mask!r}")
    entry = PersonalField(model.lower(), field, category, mask, plain)
    REGISTRY[(model.lower(), field)] = entry
    if entry.encrypted:
        _seal(entry)


def _seal(entry: PersonalField) -> None:
    from django.apps import apps

    from .fields import seal_field

    if not apps.models_ready:  # pragma: no cover - apps register in ready(); kept for a early caller
        _PENDING.append(entry)
        return
    for pending in [*_PENDING, entry]:
        seal_field(apps.get_model(pending.model), pending.field)
    _PENDING.clear()


_PENDING: list[PersonalField] = []


# Fields whose names look personal but are not (an office address, say).
NOT_PERSONAL: set[tuple[str, str]] = set()


def not_personal(model: str, field: str) -> None:
    NOT_PERSONAL.add((model.lower(), field))


def lookup(model_label: str, field: str) -> PersonalField | None:
    return REGISTRY.get((model_label.lower(), field))


def masked(instance: models.Model, field: str) -> str:
    entry = lookup(instance._meta.label_lower, field)
    value = getattr(instance, field)
    return entry.apply(value) if entry else ("" if value is None else str(value))


# Names of fields that look like personal data; registry completeness is tested against them.
SUSPECT_FIELD_PATTERN = r"(id_number|idcard|phone|mobile|address|health|illness|disab|care_tag|care_group)"
