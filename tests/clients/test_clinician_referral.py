"""A clinician refers from their own clinical team's page, to a service their team works with,
and sees where each of their clients is in one line."""

from __future__ import annotations

import re

from django.urls import reverse

from openips.accounts.roles import Role
from openips.clients.models import Episode, Person
from openips.organisations.models import ClinicalTeam
from tests.conftest import World

REFERRAL = {
    "given_name": "Robin",
    "family_name": "Testperson",
    "nhs_number": "",
    "referral_date_day": "2",
    "referral_date_month": "3",
    "referral_date_year": "2025",
    "referral_source": "secondary_mental_health",
    "employment_status_at_referral": "unemployed",
    "care_coordinator": "Casey Coordinator",
}


def test_the_team_page_offers_a_referral_to_the_teams_service(world: World, client_for) -> None:
    page = client_for(Role.CLINICIAN).get(reverse("clients:list")).content.decode()
    assert "Team A" in page
    assert "Refer someone to Service A" in page
    assert f"{reverse('clients:refer')}?service={world.service_a.pk}" in page
    assert "Service B" not in page


def test_the_form_starts_with_the_clinicians_team_and_themselves(world: World, client_for) -> None:
    user = world.users[Role.CLINICIAN]
    user.first_name, user.last_name = "Chris", "Clinician"
    user.save()
    response = client_for(Role.CLINICIAN).get(
        reverse("clients:refer"), {"service": world.service_a.pk}
    )
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert f'<option value="{world.team_a.pk}" selected >Team A</option>' in page
    assert "Not known yet" not in page  # their team only
    assert 'value="Chris Clinician"' in page
    assert "Team B" not in page


def test_a_clinician_refers_and_sees_the_referral(world: World, client_for) -> None:
    client = client_for(Role.CLINICIAN)
    data = {**REFERRAL, "clinical_team": world.team_a.pk}
    response = client.post(f"{reverse('clients:refer')}?service={world.service_a.pk}", data)
    assert response.status_code == 302, response.content.decode()
    episode = Episode.objects.get(person__given_name="Robin")
    assert episode.service == world.service_a
    assert episode.clinical_team == world.team_a
    assert episode.care_coordinator == "Casey Coordinator"  # edited from the prefill
    assert client.get(response["Location"]).status_code == 200


def test_a_clinician_cannot_refer_to_a_service_their_team_does_not_work_with(
    world: World, client_for
) -> None:
    client = client_for(Role.CLINICIAN)
    url = reverse("clients:refer")
    assert client.get(url, {"service": world.service_b.pk}).status_code == 404
    data = {**REFERRAL, "clinical_team": world.team_b.pk}
    assert client.post(f"{url}?service={world.service_b.pk}", data).status_code == 404
    # Nor name another service's team, or another team of their own service.
    other = ClinicalTeam.objects.create(service=world.service_a, name="Team A2")
    for team in (world.team_b, other):
        response = client.post(url, {**REFERRAL, "clinical_team": team.pk})
        assert response.status_code == 200
        assert "Select your clinical team" in response.content.decode()
    assert not Person.objects.filter(given_name="Robin").exists()


def test_a_clinician_without_a_team_cannot_refer(world: World, client_for) -> None:
    user = world.users[Role.CLINICIAN]
    user.clinical_team = None
    user.save()
    assert client_for(Role.CLINICIAN).get(reverse("clients:refer")).status_code == 403


def test_the_clinicians_record_page_shows_the_headline(world: World, client_for) -> None:
    page = client_for(Role.CLINICIAN).get(reverse("record:person", args=[world.person_a.pk]))
    assert re.search(r"In work at Employer A as [^<]+ since 3 March 2025", page.content.decode())


def test_a_clinicians_home_page_offers_the_referral(world: World, client_for) -> None:
    link = f'href="{reverse("clients:refer")}"'
    assert link in client_for(Role.CLINICIAN).get(reverse("accounts:home")).content.decode()
    assert link not in client_for(Role.COMMISSIONER).get(reverse("accounts:home")).content.decode()
