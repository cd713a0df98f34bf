"""The NinjaAPI: session-authenticated, each app contributes a ``router`` in its ``api.py``.
OpenAPI at /api/openapi.json; the same scoping as the pages. Conventions in docs/api.md."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import django_auth

from gongzhi.core.api_types import ErrorOut

#: Answers any operation may give, documented on every operation (the OpenAPI schema promises
#: exactly the statuses a client can meet): 400 malformed body or parameter, 401 not logged in,
#: 404 missing or outside one's organizations, 422 a parameter or field out of its bounds.
COMMON_ERRORS = {
    400: "Malformed request: a body that is not JSON, or a NUL character.",
    401: "Not logged in.",
    404: "Not found, or outside the organizations one may see (the same answer).",
    422: "A parameter or field is missing, of the wrong type or out of its bounds.",
}
#: Answers of unsafe methods only: the session's CSRF token is missing or wrong.
UNSAFE_ERRORS = {403: "CSRF check failed: send the csrftoken cookie's value in X-CSRFToken."}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class GongzhiParser(Parser):
    """JSON bodies and query strings, refusing NUL characters (PostgreSQL cannot store them) with 400."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_nul(data):
            raise ValueError("NUL character")  # ninja answers 400 "Cannot parse request body"
        return data

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        if _has_nul(parsed):
            raise HttpError(400, "NUL characters are not accepted")
        return parsed


class GongzhiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for item in schema["paths"].values():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                errors = COMMON_ERRORS | (UNSAFE_ERRORS if method in UNSAFE_METHODS else {})
                for status, description in errors.items():
                    responses.setdefault(status, {"description": description, **error})
        return schema


api = GongzhiAPI(
    title="Gongzhi API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs",
    parser=GongzhiParser(),
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


for _app_name in settings.GONGZHI_APPS:
    if find_spec(f"{_app_name}.api") is None:
        continue
    _config = apps.get_app_config(_app_name.rsplit(".", 1)[1])
    api.add_router(getattr(_config, "api_prefix", f"/{_config.label}/"), import_module(f"{_app_name}.api").router)
