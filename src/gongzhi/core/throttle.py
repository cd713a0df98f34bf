"""A per-client limit on how often a public form may be used (complaints, questions), kept in the cache.

One place decides who "the client" is (``client_key``) and one function counts (``allow``), so that a
shared rate-limit helper and a trusted-proxy setting can replace both without touching the callers.
The cache holds a keyed hash of the client's address, never the address itself, and only for the
length of the window.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from .audit import client_ip


def client_key(request) -> str:
    """An opaque key for the client that sent ``request`` (its address, hashed with the secret key)."""
    address = client_ip(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one use of ``scope`` by this client; False once it has been used ``limit`` times within
    ``window`` seconds (the window starts with the first use)."""
    key = f"gongzhi:throttle:{scope}:{client_key(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def reset(request, scope: str) -> None:
    cache.delete(f"gongzhi:throttle:{scope}:{client_key(request)}")
