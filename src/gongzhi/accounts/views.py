"""Login (with the demo accounts listed in demo mode only), logout, my account."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongzhi.core import audit
from gongzhi.core.ratelimit import rate_limited
from gongzhi.core.scoping import active_roles

from . import selectors, services
from .forms import LoginForm


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
@method_decorator(rate_limited("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.GONGZHI_DEMO:
            from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD

            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


logout_view = auth_views.LogoutView.as_view()


def profile(request):
    return render(request, "accounts/profile.html", {"roles": active_roles(request.user)})


def my_data(request):
    """Everything held about me, and who looked at it."""
    return render(request, "accounts/my_data.html", selectors.my_data(request.user))


def my_data_download(request):
    audit.record(actor=request.user, action="accounts.own_data.download", subject_user=request.user,
                 request=request)
    response = JsonResponse(selectors.my_data_export(request.user), json_dumps_params={"ensure_ascii": False,
                                                                                       "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def toggle_large_text(request):
    services.toggle_large_text(user=request.user)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("accounts:profile")
