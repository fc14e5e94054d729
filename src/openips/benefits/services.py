"""Saving an estimate: a benefits counselling contact on the episode, and the estimate beside
it, in one transaction, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from openips.accounts.models import User
from openips.benefits.calculator import Comparison, gbp
from openips.benefits.models import Estimate
from openips.casework.codes import ContactWith, Purpose
from openips.casework.services import record_contact
from openips.clients.models import Episode
from openips.core import services as core


@transaction.atomic
def save_estimate(
    actor: User,
    episode: Episode,
    comparison: Comparison,
    scenario: dict[str, str],
    session: dict[str, Any],
) -> Estimate:
    contact = record_contact(
        actor,
        episode,
        {
            **session,
            "contact_with": ContactWith.CLIENT,
            "purpose": Purpose.BENEFITS_COUNSELLING,
            "attended": True,
            "notes": f"Better-off-in-work estimate on {comparison.tax_year} rates: "
            f"{gbp(comparison.now.total)} a month now, {gbp(comparison.in_work.total)} in work.",
        },
    )
    estimate = Estimate(
        episode=episode,
        contact=contact,
        tax_year=comparison.tax_year,
        scenario=scenario,
        income_now=comparison.now.total,
        income_in_work=comparison.in_work.total,
        created_by=actor,
    )
    return core.create(actor, estimate)
