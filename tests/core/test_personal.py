"""Masks and ID numbers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongzhi.core.idnumber import parse_id_number
from gongzhi.core.personal import mask_address, mask_id_number, mask_phone


def test_an_id_mask_never_shows_the_birth_date_digits():
    masked = mask_id_number("41130219850312123X")
    assert masked == "4113**********123X"
    assert "19850312" not in masked and "850312" not in masked


def test_phone_and_address_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_address("幸福社区1号楼1单元101室").endswith("****")
    assert "101" not in mask_address("幸福社区1号楼1单元101室")
    assert mask_phone("") == "" and mask_id_number(None) == ""


def test_a_valid_id_number_gives_birth_date_and_sex():
    info = parse_id_number("11010519491231002X")
    assert info.birth_date == date(1949, 12, 31) and info.sex == "female"


def test_full_width_digits_and_lower_case_x_are_normalised():
    assert parse_id_number("１１０１０５１９４９１２３１００２x").number == "11010519491231002X"


@pytest.mark.parametrize("number, code", [
    ("110105194912310021", "id_checksum"),
    ("110105194913310020", "id_birth_date"),
    ("11010519491231002", "id_length"),
    ("ABCDEFGHIJKLMNOPQR", "id_length"),
])
def test_bad_id_numbers_are_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as error:
        parse_id_number(number)
    assert error.value.code == code
