"""Subject access holds every field of every kind of record about a person, or says why not."""

from __future__ import annotations

from django.apps import apps

from openips.governance import held
from openips.interchange.schema import TABLES
from tests.scoped_reads import personal_models


def test_every_field_of_each_record_is_held_or_left_out_with_a_reason() -> None:
    for model, names in held.HELD.items():
        fields = {f.name for f in model._meta.concrete_fields}
        left_out = held.LEFT_OUT.get(model, {})
        assert not set(names) & set(left_out), model
        unaccounted = fields - set(names) - set(left_out)
        assert not unaccounted, f"{model.__name__}: hold or leave out (with why) {unaccounted}"
        assert set(names) | set(left_out) <= fields, f"{model.__name__}: no such field"
        assert all(reason.strip() for reason in left_out.values())


def test_every_record_about_a_person_is_held_or_deliberately_elsewhere() -> None:
    """A new kind of record about a person must be added to subject access or named here."""
    elsewhere = {
        "clients.personmerge": "the merged records' details are given beside the kept one",
        "clients.searchkey": "normalised copies of the name, id and date of birth held",
        "audit.auditevent": "given as the accesses to the record, who and when",
        "audit.earliervalue": "earlier values of edits, erased on anonymisation (ADR 0020)",
        "interchange.importjob": "a service's upload, not a record about the person",
        "fhir.inboundreferral": (
            "the sending system's own number for a referral it sent, which became an episode "
            "given here; the person's trust holds it; deleted on anonymisation (ADR 0031)"
        ),
    }
    kinds = {model._meta.label_lower for model in personal_models().values()}
    kinds -= {"accounts.user"}  # staff accounts: who did something, not whom it is about
    covered = {model._meta.label_lower for model in held.HELD} | set(elsewhere)
    assert kinds and kinds - covered == set()


def test_contacts_and_jobs_hold_exactly_what_an_export_writes_and_more() -> None:
    """The interchange columns that are a contact's or job's own fields are all held."""
    for table, names in (("contacts", held.CONTACT), ("jobs", held.JOB)):
        model = {"contacts": "casework.Contact", "jobs": "employment.Job"}[table]
        own = {f.name for f in apps.get_model(model)._meta.concrete_fields}
        exported = [c.name for c in TABLES[table] if c.name in own]
        assert exported and names[: len(exported)] == exported
