"""Who is on the other end of a request. Behind a load balancer every request comes from the
balancer, so the client's address is taken from X-Forwarded-For, but only when the request
came through a proxy listed in TRUSTED_PROXIES: anyone else could write that header."""

from __future__ import annotations

from functools import cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest


@cache
def _trusted(networks: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(n, strict=False) for n in networks)


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    """An address as proxies write it: bare, `1.2.3.4:port`, `[::1]:port` or IPv4-mapped."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        parsed = ip_address(text)
    except ValueError:
        return None
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


def _is_trusted(address: IPv4Address | IPv6Address) -> bool:
    return any(address in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The nearest address on the path that is not one of our own proxies; None when a trusted
    proxy names one we cannot read (better no address than the proxy's, shared by everyone)."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None or not _is_trusted(peer):
        return str(peer) if peer else None
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _parse(hop)
        if address is None:
            return None
        if not _is_trusted(address):
            return str(address)
    return str(peer)
