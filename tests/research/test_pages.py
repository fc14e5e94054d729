"""The administrator sets up a study (every problem in the error summary), names someone on it
for a period and withdraws them, each audited; the person named finds it under their studies."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.research.models import Study, StudyAccess
from tests.clients.test_journey import date_fields
from tests.conftest import World, signed_in

pytestmark = pytest.mark.django_db


def test_a_study_is_set_up_named_and_withdrawn_with_every_step_audited(world: World) -> None:
    admin = signed_in(world.users[Role.ADMINISTRATOR])
    url = reverse("research:study_create")
    form = {
        "name": "Work held over five years",
        "reference": "IRAS 312345",
        "services": [str(world.service_a.pk)],
        "with_gender": "no",
        "with_ethnicity": "yes",
        **date_fields("start", date(2025, 6, 1)),
        **date_fields("end", date(2025, 1, 1)),
    }
    refused = admin.post(url, form | {"name": "", "services": []}).content.decode()
    assert "nhsuk-error-summary" in refused
    for message in (
        "Enter the name of the study",
        "Select at least one service",
        "Last acceptance date must be on or after the first, 1 June 2025",
    ):
        assert message in refused
    assert not Study.objects.exists()

    saved = admin.post(url, form | date_fields("end", date(2025, 12, 31)))
    study = Study.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "research:study", args=[study.pk]
    )
    assert (study.with_gender, study.with_ethnicity) == (False, True)
    assert list(study.services.all()) == [world.service_a] and len(study.secret) == 64
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="research.study")

    today = timezone.localdate()
    reviewer = world.users[Role.FIDELITY_REVIEWER]
    named = admin.post(
        reverse("research:study", args=[study.pk]),
        {
            "user": str(reviewer.pk),
            **date_fields("starts", today),
            **date_fields("ends", today + timedelta(days=90)),
        },
    )
    assert named.status_code == 302
    access = StudyAccess.objects.get()
    assert (access.user, access.granted_by) == (reviewer, world.users[Role.ADMINISTRATOR])
    mine = signed_in(reviewer).get(reverse("research:mine")).content.decode()
    assert "Work held over five years" in mine
    assert (
        study.secret not in admin.get(reverse("research:study", args=[study.pk])).content.decode()
    )

    admin.post(reverse("research:revoke", args=[study.pk, access.pk]))
    access.refresh_from_db()
    assert access.revoked_at is not None
    events = AuditEvent.objects.filter(object_type="research.studyaccess").order_by("pk")
    assert [e.action for e in events] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert (
        "Work held over five years"
        not in signed_in(reviewer).get(reverse("research:mine")).content.decode()
    )
