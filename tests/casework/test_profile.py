from __future__ import annotations

from datetime import date

from django.db.models import F
from django.urls import reverse

from openips.accounts.roles import Role
from openips.casework.models import VocationalProfile
from openips.clients.models import Episode
from tests.conftest import World, signed_in


def test_the_first_profile_marks_engagement_and_later_ones_add_versions(world: World) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode = world.episode(world.person_a)
    url = reverse("casework:profile", args=[episode.pk])

    page = client.post(url, {"version": "1", "preferred_jobs": "Gardening"}).content.decode()
    assert page.count("nhsuk-error-summary__list") == 1
    assert "Enter the date the vocational profile was started" in page

    started = {"started_day": "10", "started_month": "1", "started_year": "2025"}
    assert (
        client.post(url, {"version": "1", "preferred_jobs": "Gardening", **started}).status_code
        == 302
    )
    episode.refresh_from_db()
    assert episode.vocational_profile_date == date(2025, 1, 10)

    client.post(url, {"version": str(episode.version), "preferred_jobs": "Gardening or parks"})
    versions = list(
        VocationalProfile.objects.filter(episode=episode).values_list("version", "preferred_jobs")
    )
    assert versions == [(2, "Gardening or parks"), (1, "Gardening")]
    episode.refresh_from_db()
    assert episode.vocational_profile_date == date(2025, 1, 10)  # engagement date stays


def test_a_first_profile_over_someone_elses_edit_of_the_episode_is_a_conflict(
    world: World,
) -> None:
    client = signed_in(world.users[Role.EMPLOYMENT_SPECIALIST])
    episode = world.episode(world.person_a)
    url = reverse("casework:profile", args=[episode.pk])
    started = {"started_day": "10", "started_month": "1", "started_year": "2025"}
    Episode.objects.filter(pk=episode.pk).update(version=F("version") + 1)  # someone else saved

    response = client.post(
        url, {"version": str(episode.version), "preferred_jobs": "Gardening", **started}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this episode while you were working on it" in page
    assert "Gardening" in page  # the entries are kept
    assert "The profile as it is saved now" in page and "Not started" in page
    assert f'value="{episode.version + 1}"' in page  # saving again starts from the saved version
    assert not VocationalProfile.objects.filter(episode=episode).exists()
    episode.refresh_from_db()
    assert episode.vocational_profile_date is None
