"""Session lifetimes: a sliding idle timeout (SESSION_COOKIE_AGE) and an absolute lifetime.

The idle timeout slides without writing the session row on every request: the session is saved (and
its expiry moved on) only when it changed or when ``GONGZHI_SESSION_REFRESH_SECONDS`` have passed since
it was last moved on, so a session may end at most that many seconds before the full idle timeout. A
QR check-in by a logged-in member thus costs no session write.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import get_user
from django.shortcuts import redirect
from django.utils.functional import LazyObject

_KEY = "gongzhi_login_at"
_SEEN = "gongzhi_seen_at"


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At log-in (``user_logged_in``): the absolute lifetime starts and the idle window is fresh, so the
    first pages after logging in write nothing."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[_KEY] = now
        request.session[_SEEN] = now


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if isinstance(request.user, LazyObject):
            # The account is read here on every request anyway: the request carries it itself from now on, rather
            # than behind AuthenticationMiddleware's lazy wrapper, whose every attribute read (a page's menu and
            # scopes ask the user a few hundred times) is a function call. The same object: ``get_user`` keeps it.
            request.user = get_user(request)
        if request.user.is_authenticated:
            session = request.session
            started = session.get(_KEY)
            now = int(time.time())
            if started is None:
                session[_KEY] = now
            elif now - started > settings.GONGZHI_SESSION_ABSOLUTE_MINUTES * 60:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - session.get(_SEEN, 0) >= settings.GONGZHI_SESSION_REFRESH_SECONDS:
                session[_SEEN] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
