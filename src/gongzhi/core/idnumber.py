"""Resident ID numbers (GB 11643-1999) through ``stdnum.cn.ric``: validation,
birth date and sex. Nothing here re-implements the check character."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＡ", "0123456789XXA")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "male" or "female"


def normalise(raw: str) -> str:
    return str(raw).translate(FULL_WIDTH).replace(" ", "").replace("\u3000", "").strip().upper()


def parse_id_number(raw: str) -> IdInfo:
    """Validate and return the number with its birth date and sex, or raise ValidationError."""
    number = normalise(raw)
    if len(number) != 18 or not number[:17].isdigit():
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a check character."),
                              code="id_length")
    try:
        birth = ric.get_birth_date(number)
    except (stdnum_errors.ValidationError, ValueError) as exc:
        raise ValidationError(_("The birth date in this ID number is not a real date."),
                              code="id_birth_date") from exc
    if birth > date.today() or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number is not a real date."), code="id_birth_date")
    try:
        number = ric.validate(number)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(_("The check character of this ID number is wrong."), code="id_checksum") from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(_("This is not a valid ID number."), code="id_invalid") from exc
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, birth_date=birth, sex=sex)
