"""The access matrix: every API operation for every persona, own and foreign, and the checks that every URL
and operation has a case (tests/access_matrix.py; the page cases run in tests/test_access_matrix_pages_*.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gongzhi.api import api
from tests.access import ApiCase
from tests.access_matrix import (  # noqa: F401 (world and the sessions are fixtures)
    API_CASES,
    PAGE_CASES,
    _foreign_in_context,
    _url_names,
    _writes,
    check_api,
    module_sessions,
    sessions,
    world,
)


def test_every_url_has_an_access_case():
    declared = {case.name for case in PAGE_CASES}
    missing = sorted(set(_url_names()) - declared)
    assert not missing, f"URL names without an access case: {missing}"


def test_every_api_operation_has_an_access_case():
    schema = api.get_openapi_schema()
    operations = {(method.lower(), path) for path, item in schema["paths"].items() for method in item}
    declared = {(case.method.lower(), case.path) for case in API_CASES}
    missing = sorted(operations - declared)
    assert not missing, f"API operations without an access case: {missing}"


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: f"{c.method}:{c.path}")
def test_api_access(case: ApiCase, world, sessions):  # noqa: F811
    check_api(case, world, sessions)


def test_the_checks_find_a_foreign_record_and_a_write(world):  # noqa: F811
    from django.core.paginator import Paginator
    from django.template import Context

    from gongzhi.members.models import Member

    page = SimpleNamespace(context=[Context({"page": Paginator([world.member_a, world.member_x], 10).page(1)})])
    assert _foreign_in_context(page, world) == [f"page: {world.member_x!r}"]
    queryset = Member.objects.filter(pk=world.member_b.pk)
    list(queryset)
    near = SimpleNamespace(context=[Context({"rows": queryset, "org": world.branch_a, "n": 3})])
    assert _foreign_in_context(near, world) == []
    insert = 'INSERT INTO "core_auditevent" VALUES (1)'
    assert _writes([{"sql": "SELECT 1"}, {"sql": 'UPDATE "django_session" SET x'}, {"sql": insert}]) == [insert]
