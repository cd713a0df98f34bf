"""The NinjaAPI: session-authenticated, each app contributes a ``router`` in its ``api.py``.
OpenAPI at /api/openapi.json; the same scoping as the pages."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Gongzhi API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


for _app_name in settings.GONGZHI_APPS:
    if find_spec(f"{_app_name}.api") is None:
        continue
    _config = apps.get_app_config(_app_name.rsplit(".", 1)[1])
    api.add_router(getattr(_config, "api_prefix", f"/{_config.label}/"), import_module(f"{_app_name}.api").router)
