"""The migration to senders' identifiers unique per organisation (fhir 0002, 0003): each
referral received before it belongs to the organisation of its episode's team."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from openips.accounts.roles import Role
from openips.fhir.models import InboundReferral
from tests.conftest import World

BEFORE = [("fhir", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_each_referral_received_takes_its_episodes_organisation(world: World) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("fhir", "InboundReferral")
    for n, person in enumerate((world.person_a, world.person_b)):
        old.objects.create(
            identifier_system="https://trust.example.nhs.uk/Id/referral",
            identifier_value=f"REF-{n}",
            episode_id=world.episode(person).pk,
            created_by_id=world.users[Role.EMPLOYMENT_SPECIALIST].pk,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    kept = InboundReferral.objects.order_by("identifier_value")
    assert [r.organisation for r in kept] == [world.org1, world.org2]
