"""The migration to client ids unique per organisation (clients 0005, ADR 0021)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from openips.clients.models import Person
from openips.organisations.models import Service
from tests.conftest import World

BEFORE = [("clients", "0003_field_rules")]


def old_people(world: World, nhs_numbers: tuple[str, str]) -> list[int]:
    """Two people of one organisation with the same client id, as services could have them."""
    other = Service.objects.create(organisation=world.org1, code="svc-a2", name="Service A2")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("clients", "Person")
    return [
        old.objects.create(service_id=service.pk, client_id="SHE0094", nhs_number=nhs).pk
        for service, nhs in zip((world.service_a, other), nhs_numbers, strict=True)
    ]


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_colliding_client_id_is_renamed_with_a_suffix(world: World) -> None:
    first, second = old_people(world, ("9990000034", ""))
    migrate_to_latest()
    people = Person.objects.in_bulk([first, second])
    assert (people[first].client_id, people[second].client_id) == ("SHE0094", "SHE0094-2")
    assert {p.organisation_id for p in people.values()} == {world.org1.pk}
    assert Person.objects.get(client_id="B001").organisation_id == world.org2.pk


@pytest.mark.django_db(transaction=True)
def test_one_nhs_number_held_twice_in_an_organisation_stops_the_migration(world: World) -> None:
    old_people(world, ("9990000034", "9990000034"))
    with pytest.raises(RuntimeError, match="SHE0094"):
        migrate_to_latest()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE).apps.get_model("clients", "Person")
    old.objects.filter(client_id="SHE0094", nhs_number="9990000034").exclude(
        service_id=world.service_a.pk
    ).update(nhs_number="")
    migrate_to_latest()
