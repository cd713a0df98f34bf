"""Resident ID numbers (GB 11643-1999) through ``stdnum.cn.ric``: validation, birth date, sex, and
warnings about the area code. Nothing here re-implements the check character.

``stdnum`` refuses a number whose 6-digit area code did not exist in the year of birth (411302
exists only from 1994). Real people carry such numbers: the code is that of the place and time the
number was issued, and counties are renamed, merged and created. So a wrong check character or an
impossible birth date is an error; an unknown or anachronistic area code is only a warning
(``IdInfo.warnings``), shown to the person entering it and never a reason to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＡ", "0123456789XXA")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "male" or "female"
    warnings: tuple[str, ...] = field(default=())


def normalise(raw: str) -> str:
    return str(raw).translate(FULL_WIDTH).replace(" ", "").replace("\u3000", "").strip().upper()


def area_warning(number: str, birth: date) -> str | None:
    """Why the area code would not be expected for this birth date, or None when it is.

    Reads stdnum's table of administrative divisions, with the years each code was in use."""
    from stdnum import numdb

    try:
        ric.get_birth_place(number)
        return None
    except stdnum_errors.ValidationError:
        pass
    results = numdb.get("cn/loc").info(number[:6])
    info = {key: value for _part, props in results for key, value in props.items()}
    if "county" not in info:
        return _("The area code %(code)s is not in the table of administrative divisions; the number is "
                 "accepted, but check it against the ID card.") % {"code": number[:6]}
    spans, names = [], []
    for county in info["county"].split(","):
        if county.startswith("["):
            span, name = county[1:].split("]", 1)
            spans.append(span.replace("-", "–"))
            names.append(name)
    return _("The area code %(code)s (%(name)s, in use %(years)s) did not exist in %(year)s, the year of birth; "
             "the number is accepted, since a code is that of the place and time the number was issued.") % {
        "code": number[:6], "name": "/".join(dict.fromkeys(names)), "years": ", ".join(spans),
        "year": birth.year}


def parse_id_number(raw: str, *, today: date | None = None) -> IdInfo:
    """Validate and return the number with its birth date, sex and warnings, or raise ValidationError
    saying what is wrong (length, check character or birth date)."""
    number = normalise(raw)
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a check character (a digit or X)."),
                              code="id_length")
    try:
        birth = ric.get_birth_date(number)
    except (stdnum_errors.ValidationError, ValueError) as exc:
        raise ValidationError(_("The birth date in this ID number (digits 7 to 14: %(digits)s) is not a real date.")
                              % {"digits": number[6:14]}, code="id_birth_date") from exc
    if birth > (today or date.today()) or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number (%(date)s) is in the future or before 1900.")
                              % {"date": birth.isoformat()}, code="id_birth_date")
    try:
        number = ric.validate(number)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(
            _("The check character of this ID number (its last character) does not match the first 17 digits: "
              "one of the characters is mistyped."), code="id_checksum") from exc
    except stdnum_errors.InvalidComponent:
        pass  # the area code: a warning below, never a refusal
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(_("This is not a valid ID number."), code="id_invalid") from exc
    warning = area_warning(number, birth)
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, birth_date=birth, sex=sex, warnings=(warning,) if warning else ())
