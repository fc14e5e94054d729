"""schemathesis runs over the whole OpenAPI schema, reads and writes: no server errors, no
schema violations.

Each operation's cases come from its Hypothesis strategy (the pytest plugin's lazy fixture
loader does not run under pytest 9), called as a team leader with a personal token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from tests.conftest import World


@contextmanager
def connections_kept_open() -> Iterator[None]:
    """As Django's test client does: request signals must not close the test's connection,
    which holds its transaction (PostgreSQL really closes it; SQLite's memory DB does not)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_api_conforms_to_its_schema(world: World) -> None:
    token = create_token(world.users[Role.TEAM_LEADER], "schemathesis")[1]
    with connections_kept_open():  # loading the schema is itself a request
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 10
        for operation in operations:
            check_operation(operation, token)


def check_operation(operation: schemathesis.schemas.APIOperation, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            # A body can match the schema and still break a rule across records (an episode id
            # that does not exist, an end before a start): 422 is the right answer there.
            excluded_checks=[positive_data_acceptance],
        )

    check()
