"""The one client id scheme (ADR 0021): C and at least six digits, counted across all the
services of an organisation, so that an id names one person in the whole trust."""

from __future__ import annotations

from django.db.models.functions import Length

from openips.organisations.models import Organisation

PREFIX = "C"


def client_id(n: int) -> str:
    return f"{PREFIX}{n:06d}"


def next_number(organisation_id: int) -> int:
    """The number after the organisation's highest id of this scheme (ids of other schemes,
    brought by an import, are left out). Callers that write take the organisation's lock."""
    from openips.clients.models import Person

    highest = (
        Person.objects.filter(organisation_id=organisation_id, client_id__regex=r"^C[0-9]{6,12}$")
        .order_by(Length("client_id").desc(), "-client_id")
        .values_list("client_id", flat=True)
        .first()
    )
    return int(highest[1:]) + 1 if highest else 1


def allocate(organisation_id: int) -> str:
    """A new client id; inside a transaction, so that two referrals queue for the lock."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    return client_id(next_number(organisation_id))
