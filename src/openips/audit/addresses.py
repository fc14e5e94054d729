"""Who is on the other end of a request. Behind a load balancer every request comes from the
balancer, so the client's address is taken from X-Forwarded-For, but only when the request
came through a proxy listed in TRUSTED_PROXIES: anyone else could write that header."""

from __future__ import annotations

from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest


@cache
def _trusted(networks: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(n, strict=False) for n in networks)


def _is_trusted(address: str) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The nearest address on the path that is not one of our own proxies."""
    peer: str | None = request.META.get("REMOTE_ADDR") or None
    if peer is None or not _is_trusted(peer):
        return peer
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _is_trusted(hop):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer  # a garbled header: the proxy is all we know
    return peer
