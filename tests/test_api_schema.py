"""The API's schema keeps its conventions (docs/api.md): every list in one paging shape with bounded
limit and offset, every error status documented, years and ids bounded, schema names unique."""

import importlib

import pytest
from django.conf import settings
from django.test import Client
from ninja import Schema

from gongzhi.api import api

SCHEMA = api.get_openapi_schema()
OPERATIONS = [(method, path, op) for path, item in SCHEMA["paths"].items() for method, op in item.items()]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _ok_schema(op) -> dict | None:
    ok = op["responses"].get(200) or op["responses"].get("200")
    content = (ok or {}).get("content", {}).get("application/json")
    return _resolve(content["schema"]) if content else None


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_operation_documents_its_errors(method, path, op):
    documented = {int(status) for status in op["responses"]}
    assert {400, 401, 404, 422} <= documented
    if method == "post":
        assert 403 in documented


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_list_is_paged_in_one_shape(method, path, op):
    ok = _ok_schema(op)
    if ok is None:
        return
    assert ok.get("type") != "array", f"{path} returns a bare list: use @paginate"
    if set(ok.get("properties", {})) == {"items", "count"}:
        params = {p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "query"}
        assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 200)
        assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (0, 2**31)


def _bounds(schema: dict) -> tuple:
    options = schema.get("anyOf", [schema])
    number = next(o for o in options if o.get("type") == "integer")
    return number.get("minimum"), number.get("maximum")


def test_every_year_and_query_id_is_bounded():
    for _method, path, op in OPERATIONS:
        for param in op.get("parameters", []):
            if param["name"] == "year":
                assert _bounds(param["schema"]) == (2000, 2100), path
            elif param["name"].endswith("_id") and param["in"] == "query":
                assert _bounds(param["schema"]) == (1, 2**63 - 1), (path, param["name"])


def test_no_two_schemas_share_a_name():
    """OpenAPI components are global: a second class of the same name silently replaces the first
    (the compliance grid's GridOut once stood in for the grids' list)."""
    seen: dict[str, str] = {}
    for app in settings.GONGZHI_APPS:
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                assert name not in seen, f"{name} in {module.__name__} and {seen[name]}"
                seen[name] = module.__name__


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"offset": 2**63}, {"offset": 2**31 + 1}, {"limit": 0}, {"limit": 201},
                                   {"limit": 10**30}, {"offset": -1}])
def test_paging_out_of_bounds_is_a_422(world, query):
    client = Client()
    client.force_login(world.users["community_secretary"])
    for path in ("/api/orgs/grids/", "/api/points/entries", "/api/care/pairings"):
        assert client.get(path, query).status_code == 422, (path, query)


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "10000", "-57", "124612"])
def test_a_year_out_of_bounds_is_a_422(world, year):
    client = Client()
    client.force_login(world.users["community_secretary"])
    for path in ("/api/meetings/", f"/api/points/titles/{world.community_a.pk}", "/api/service/mine",
                 f"/api/meetings/compliance/{world.community_a.pk}"):
        assert client.get(path, {"year": year}).status_code == 422, (path, year)
