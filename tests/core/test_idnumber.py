"""ID numbers as real people carry them: the check character and the birth date are refused when
wrong; an area code unknown or not in use in the year of birth is only a warning."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from gongzhi.core.idnumber import parse_id_number


def genuine(area: str, birth: str, serial: int) -> str:
    """A number with a real check character, computed by stdnum from the first 17 digits."""
    body = f"{area}{birth}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.mark.parametrize("area, birth, county, in_use", [
    ("411302", "19850312", "宛城区", "1994–"),  # Nanyang's districts exist only from 1994
    ("110112", "19600101", "通州区", "1997–"),  # Tongzhou was 通县 until 1997
    ("110118", "19900815", "密云区", "2015–"),  # Miyun became a district in 2015
    ("110103", "20120505", "崇文区", "–2010"),  # Chongwen was merged into Dongcheng in 2010
])
def test_a_county_renamed_or_created_after_the_birth_year_is_accepted_with_a_warning(area, birth, county, in_use):
    number = genuine(area, birth, 21)
    with pytest.raises(Exception):  # noqa: B017 - stdnum itself refuses the number
        ric.validate(number)
    info = parse_id_number(number)
    assert info.number == number and info.birth_date == date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    (warning,) = info.warnings
    assert area in warning and county in warning and in_use in warning and birth[:4] in warning


def test_an_x_check_character_is_genuine_and_normalised():
    number = genuine("411302", "19850312", 18)
    assert number.endswith("X")
    info = parse_id_number(number[:-1] + "x")
    assert info.number == number and info.sex == "female" and info.warnings


def test_an_unknown_area_code_is_a_warning_too():
    info = parse_id_number(genuine("999999", "19800101", 22))
    assert info.sex == "female" and "999999" in info.warnings[0]


def test_an_area_code_in_use_at_birth_gives_no_warning():
    assert parse_id_number(genuine("110101", "19850312", 21)).warnings == ()


@pytest.mark.parametrize("number, code", [
    (genuine("411302", "19850312", 21)[:-1] + "0", "id_checksum"),
    (genuine("411302", "19850230", 21), "id_birth_date"),  # 30 February
    (genuine("411302", "20990101", 21), "id_birth_date"),  # not born yet
    (genuine("411302", "18990101", 21), "id_birth_date"),
    ("41130219850312021", "id_length"),
    ("4113021985031202Y1", "id_length"),
])
def test_wrong_check_characters_and_impossible_dates_are_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as error:
        parse_id_number(number)
    assert error.value.code == code
