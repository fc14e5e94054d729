"""A local GOV.UK Notify for each test that asks for one, with the settings pointing at it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from openips.messaging.catalogue import TEMPLATES
from tests.messaging.fake_notify import FakeNotify


@pytest.fixture
def notify(settings: Any) -> Iterator[FakeNotify]:
    ids = {name: str(uuid.uuid4()) for name in TEMPLATES}
    server = FakeNotify(templates={ids[n]: t.fields for n, t in TEMPLATES.items()}).start()
    settings.NOTIFY_API_KEY = server.api_key
    settings.NOTIFY_BASE_URL = server.url
    settings.NOTIFY_TEMPLATES = ids
    settings.NOTIFY_TIMEOUT_SECONDS = 5
    yield server
    server.stop()


def reachable(person: Any, **details: Any) -> Any:
    """The person agreed to messages and gave a mobile number (their preference: texts)."""
    values = {
        "phone": "07700 900123",
        "email": "",
        "preferred_contact": "text_message",
        "message_consent": True,
    } | details
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    return person


def plan(episode: Any, day: Any, **fields: Any) -> Any:
    """An appointment planned with the episode's specialist on that day."""
    from datetime import time

    from openips.casework.models import Appointment

    values = {
        "time": time(14, 30),
        "place": "Leeds Central Library",
        "mode": "face_to_face",
        "purpose": "job_search",
    } | fields
    return Appointment.objects.create(
        service=episode.service,
        episode=episode,
        staff=episode.employment_specialist,
        date=day,
        **values,
    )
