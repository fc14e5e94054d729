"""Behind a load balancer: the client's address comes from the proxy's header, only when the
request came through a trusted proxy; one attacker cannot lock other people out."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from openips.accounts.roles import Role
from openips.audit.addresses import client_ip
from openips.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, World

BALANCER = "10.0.0.2"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", "", "203.0.113.9"),  # no proxy
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not our proxy: the header is ignored
        (BALANCER, "198.51.100.1", "198.51.100.1"),
        (BALANCER, "192.0.2.66, 198.51.100.1", "198.51.100.1"),  # a forged hop to the left
        (BALANCER, "198.51.100.1, 10.0.0.3", "198.51.100.1"),  # through two of ours
        (BALANCER, "198.51.100.1:50123", "198.51.100.1"),  # a port, as Azure writes it
        (BALANCER, "[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),  # the balancer, IPv4-mapped
        (BALANCER, "not-an-address", None),  # unreadable: no address rather than the balancer's
        (BALANCER, "", BALANCER),
    ],
)
@override_settings(TRUSTED_PROXIES=["10.0.0.0/29"])
def test_the_client_address_is_taken_from_trusted_proxies_only(
    remote: str, forwarded: str, expected: str | None
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def _sign_in(username: str, password: str, address: str, agent: str = "Edge/140") -> int:
    return (
        Client()
        .post(
            reverse("accounts:sign_in"),
            {"username": username, "password": password},
            REMOTE_ADDR=BALANCER,
            HTTP_X_FORWARDED_FOR=address,
            HTTP_USER_AGENT=agent,
        )
        .status_code
    )


@override_settings(TRUSTED_PROXIES=[BALANCER], AXES_FAILURE_LIMIT=3)
def test_an_attackers_failures_lock_only_the_account_they_guess(world: World) -> None:
    for _ in range(3):
        _sign_in("manager", "wrong", "198.51.100.1")
    # The same common browser, through the same balancer, from another address: not locked out.
    assert _sign_in("specialist", PASSWORD, "198.51.100.77") == 302
    assert _sign_in("manager", PASSWORD, "198.51.100.77") == 403  # that account is locked
    failure = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).order_by("id").first()
    assert failure is not None and failure.ip_address == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=[BALANCER], SIGN_IN_ADDRESS_LIMIT=4)
def test_spraying_from_one_address_pauses_that_address_not_the_accounts(world: World) -> None:
    for name in ("a1", "a2", "a3", "a4"):
        _sign_in(name, "guess", "198.51.100.1")
    assert _sign_in("specialist", PASSWORD, "198.51.100.1") == 429
    assert _sign_in("specialist", PASSWORD, "198.51.100.2") == 302
    assert world.users[Role.EMPLOYMENT_SPECIALIST].is_active
