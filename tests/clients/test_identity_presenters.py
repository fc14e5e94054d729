"""How identities read on the page: no database needed."""

from __future__ import annotations

from datetime import date

from openips.clients.models import Person
from openips.clients.presenters import MergePresenter, client_label, person_summary
from openips.organisations.models import Service


def person(client_id: str, service: str, **values: object) -> Person:
    return Person(client_id=client_id, service=Service(name=service), **values)


def test_a_client_id_is_shown_with_its_service() -> None:
    assert client_label(person("C000042", "Leeds IPS")) == "C000042 (Leeds IPS)"


def test_the_summary_formats_what_is_held_and_says_what_is_not() -> None:
    rows = dict(
        person_summary(
            person(
                "C1",
                "Leeds IPS",
                given_name="Sam",
                nhs_number="9990000018",
                date_of_birth=date(1990, 5, 17),
                address="12 High Street",
                postcode="LS1 4AP",
                preferred_contact="text_message",
                message_consent=False,
            )
        )
    )
    assert rows["NHS number"] == "999 000 0018"
    assert rows["Date of birth"] == "17 May 1990"
    assert rows["Address"] == "12 High Street LS1 4AP"
    assert rows["Preferred contact"] == "Text message"
    assert rows["Consent to receive messages"] == "No"
    assert rows["Phone"] == rows["Email"] == "Not recorded"


def test_the_merge_page_sets_the_two_records_side_by_side() -> None:
    pair = MergePresenter(person("C1", "A", given_name="Sam"), person("C2", "B"))
    rows = {key: (kept, duplicate) for key, kept, duplicate in pair.rows}
    assert rows["Client ID"] == ("C1 (A)", "C2 (B)")
    assert rows["Name"] == ("Sam", "Not recorded")
    assert rows["Consent to receive messages"] == ("Not asked yet", "Not asked yet")
