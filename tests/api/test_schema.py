"""schemathesis runs over the whole OpenAPI schema: no server errors, no schema violations.

Each operation's cases come from its Hypothesis strategy (the pytest plugin's lazy fixture
loader does not run under pytest 9), called as a team leader with a personal token."""

from __future__ import annotations

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from tests.conftest import World


def test_the_api_conforms_to_its_schema(world: World) -> None:
    token = create_token(world.users[Role.TEAM_LEADER], "schemathesis")[1]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

        check()
