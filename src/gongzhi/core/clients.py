"""Who is on the other end: the client's address, also behind a reverse proxy.

Behind nginx every request comes from nginx's address. ``GONGZHI_TRUSTED_PROXIES`` names the
proxies (addresses or networks); only a request that comes from one of them has its
``X-Forwarded-For`` read, from the right (each proxy appends the address it saw), and the first
address that is not a trusted proxy is the client's. A header sent by anyone else is ignored, so a
client cannot choose its own address to dodge a rate limit or a lockout.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:51234
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "GONGZHI_TRUSTED_PROXIES", ())))


def _is_trusted(address, proxies) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the nearest untrusted address
    in X-Forwarded-For. ``None`` without a request or a readable address."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return None
    proxies = trusted_proxies()
    if not proxies or not _is_trusted(peer, proxies):
        return str(peer)
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(chain.split(",")[-20:]):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be trusted either
        if not _is_trusted(address, proxies):
            return str(address)
        peer = address
    return str(peer)
