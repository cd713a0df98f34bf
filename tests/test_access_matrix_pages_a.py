"""The access matrix's page cases, the first of three shares (tests/access_matrix.py): every persona,
own and foreign, allowed or refused with nothing written, and no foreign record on an allowed page."""

import pytest

from tests.access import PageCase
from tests.access_matrix import PAGE_CASES, check_page, module_sessions, sessions, world  # noqa: F401 (fixtures)


@pytest.mark.parametrize("case", PAGE_CASES[0::3], ids=lambda c: f"{c.method}:{c.name}")
def test_page_access(case: PageCase, world, sessions):  # noqa: F811
    check_page(case, world, sessions)
