"""Rate limits per client for what anyone may do without an account (the public forms) and for
login attempts.

A fixed window per client address (``core.clients.client_ip``, the real address behind the trusted
proxies) counted in the cache: Redis in production, so every worker shares the counts. The limits
live in ``settings.GONGZHI_RATE_LIMITS`` as ``scope: (requests, seconds)``. A client over its
limit gets 429 with a page in its language saying when to try again; other clients are not
affected, whatever they type into the form (a phone number, a user name).
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .clients import client_ip

METHODS = frozenset({"POST"})


def _key(scope: str, client: str, window: int) -> str:
    return f"ratelimit:{scope}:{client}:{window}"


def hit(scope: str, client: str | None, *, now: float | None = None) -> int:
    """Count one request of ``client`` in ``scope``; the seconds to wait when it is over the limit, else 0."""
    limit, period = settings.GONGZHI_RATE_LIMITS[scope]
    now = time.time() if now is None else now
    window = int(now // period)
    key = _key(scope, client or "unknown", window)
    # add() then incr() is atomic on Redis and in memory: parallel requests never share a count.
    if cache.add(key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=period + 1)
            count = 1
    if count > limit:
        return max(1, int((window + 1) * period - now))
    return 0


def allow(request, scope: str) -> bool:
    """Count one request of this client in ``scope`` from inside a view (when only some requests
    should count, e.g. a form that would be written); False once the client is over its limit."""
    return hit(scope, client_ip(request)) == 0


def too_many(request, wait: int):
    response = render(request, "429.html", {"minutes": max(1, (wait + 59) // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limited(scope: str, methods=METHODS):
    """Decorate a view: requests with one of ``methods`` count against the client's limit in ``scope``."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                wait = hit(scope, client_ip(request))
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
