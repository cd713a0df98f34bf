"""Page routes: every app in GONGZHI_APPS with a ``urls`` module is mounted at its
AppConfig's ``url_prefix``; the API lives under /api/."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from gongzhi.api import api
from gongzhi.core import views as core_views
from gongzhi.orgs import views as org_views

handler400 = "gongzhi.core.views.bad_request"
handler403 = "gongzhi.core.views.permission_denied"
handler404 = "gongzhi.core.views.page_not_found"
handler500 = "gongzhi.core.views.server_error"



def _api_patterns():
    """The API answers 401 itself (django_auth) rather than redirecting to the login page."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        callback = getattr(pattern, "callback", None)
        if callback is not None:
            callback.login_required = False
    return patterns, app_name, namespace


urlpatterns = [
    path("", org_views.home, name="home"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", core_views.health, name="health"),
    path("api/", _api_patterns()),
    path("admin/", admin.site.urls),
]

for app_name in settings.GONGZHI_APPS:
    if find_spec(f"{app_name}.urls") is None:
        continue
    config = apps.get_app_config(app_name.rsplit(".", 1)[1])
    module = import_module(f"{app_name}.urls")
    urlpatterns.append(path(getattr(config, "url_prefix", f"{config.label}/"), include(module)))
