"""The people search index: a few short keys per person (each word of their name, their client
id, their date of birth), normalised and held in one indexed table, so that a search is a range
read of a B-tree on PostgreSQL and SQLite alike, never a scan of everyone (ADR 0019).

`reindex` is the one way to keep it in step. Ordinary saves of a person call it through the
post_save receiver (clients/apps.py); writes that bypass save (bulk_create, bulk_update, the
demo's COPY) call it, or `keys_for`, themselves."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from openips.clients.models import TERM_LENGTH, Kind, Person, SearchKey

WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Case and accents ignored: "Zoë" and "ZOE" are both "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a name or a query, normalised: "O'Brien-Smith" is o, brien and smith."""
    return [w[:TERM_LENGTH] for w in WORD.findall(normalise(text))]


def keys_for(
    given_name: str, family_name: str, client_id: str, date_of_birth: date | None
) -> list[tuple[str, str]]:
    """A person's (kind, term) keys, without repeats."""
    keys = {(Kind.NAME.value, w) for w in words(f"{given_name} {family_name}")}
    if client_id:
        keys.add((Kind.CLIENT_ID.value, normalise(client_id)[:TERM_LENGTH]))
    if date_of_birth:
        keys.add((Kind.BORN.value, date_of_birth.isoformat()))
    return sorted(keys)


def reindex(people: Iterable[Person]) -> None:
    """Replace the keys of these people (saved already) with keys from their current values."""
    people = [p for p in people if p.pk is not None]
    if not people:
        return
    SearchKey.objects.filter(person_id__in=[p.pk for p in people]).delete()
    SearchKey.objects.bulk_create(
        [
            SearchKey(person_id=p.pk, organisation_id=p.organisation_id, kind=kind, term=term)
            for p in people
            for kind, term in keys_for(p.given_name, p.family_name, p.client_id, p.date_of_birth)
        ],
        batch_size=1000,
    )


def person_saved(sender: type[Person], instance: Person, raw: bool = False, **_: Any) -> None:
    if not raw:  # a fixture load: its keys come with it
        reindex([instance])
