"""Absolute session lifetime on top of the idle timeout (SESSION_COOKIE_AGE, sliding)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

_KEY = "gongzhi_login_at"


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(_KEY)
            now = int(time.time())
            if started is None:
                request.session[_KEY] = now
            elif now - started > settings.GONGZHI_SESSION_ABSOLUTE_MINUTES * 60:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
