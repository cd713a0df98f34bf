"""The API's schema keeps its conventions (docs/api.md): every list in one paging shape with bounded
limit and offset, every error status documented, years and ids bounded, schema names unique."""

import importlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from pydantic import BaseModel

from gongzhi.api import api

SCHEMA = api.get_openapi_schema()
OPERATIONS = [(method, path, op) for path, item in SCHEMA["paths"].items() for method, op in item.items()]


@pytest.fixture
def world(module_world, db):
    """One world for the module (its requests only read), each test in a savepoint rolled back after it."""
    return SimpleNamespace(**vars(module_world))


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


#: Arrays inside an object that is not a list page, each with what bounds it. Any other array is a list
#: that must be paged (``@paginate``): a new one fails ``test_every_list_is_paged_in_one_shape``.
BOUNDED_ARRAYS = {
    ("/api/service/mine", "history"): "the latest 50 check-ins",
    ("/api/service/teams/{team_id}", "kinds"): "the activity kinds (a fixed choice list)",
    ("/api/service/teams/{team_id}", "grids"): "the grids one team serves",
    ("/api/service/teams/{team_id}", "buildings"): "the buildings one team serves",
    ("/api/meetings/compliance/{org_id}", "shares"): "one share per meeting kind",
    ("/api/meetings/compliance/{org_id}", "rows"): "the branches of one organization's grid for a year (a report)",
    ("/api/democracy/matters/{matter_id}", "steps"): "the fixed steps of 四议两公开",
    ("/api/democracy/elections/{election_id}", "candidates"): "the candidates of one election (a committee's seats "
                                                              "and a fifth more)",
    ("/api/democracy/elections/{election_id}", "rounds"): "the voting rounds of one election",
    ("/api/recruitment/{person_id}", "steps"): "the 25 fixed steps of recruitment",
    ("/api/recruitment/{person_id}", "overdue"): "what is overdue for one person (a few fixed kinds)",
    ("/api/dues/sheet", "rows"): "the members of one organization's dues sheet for a month (a report)",
    ("/api/dues/mine", "months"): "one's own months of a year",
    ("/api/dues/arrears", "arrears"): "members of one organization in arrears (a report)",
    ("/api/funds/budget", "lines"): "the lines of one budget",
    ("/api/points/mine", "titles"): "one's own titles",
    ("/api/points/rankings/{org_id}", "members"): "the top 100",
    ("/api/points/rankings/{org_id}", "branches"): "the branches of one organization",
    ("/api/points/rankings/{org_id}", "groups"): "the top 100",
    ("/api/points/rankings/{org_id}", "units"): "the top 100",
    ("/api/stats/", "figures"): "the registered figures",
    ("/api/reports/summaries/{summary_id}", "problems"): "the problems of one summary",
}


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_list_is_paged_in_one_shape(method, path, op):
    ok = _ok_schema(op)
    if ok is None:
        return
    assert ok.get("type") != "array", f"{path} returns a bare list: use @paginate"
    properties = ok.get("properties", {})
    if set(properties) == {"items", "count", "next"}:
        params = {p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "query"}
        assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 200)
        assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (0, 2**31)
        assert params["after"]["maxLength"] == 80
        return
    if method != "get":
        return  # a write answers what it wrote (the payments of one bulk payment)
    for name, schema in properties.items():
        if _resolve(schema).get("type") == "array":
            assert (path, name) in BOUNDED_ARRAYS, f"{path} answers an unpaged list {name!r}: use @paginate"


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
    (the compliance grid's GridOut once stood in for the grids' list). Every schema: ninja's ``Schema`` and
    ``core.api_types.Item`` are both pydantic models."""
    seen: dict[str, str] = {}
    for app in settings.GONGZHI_APPS:
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
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
