"""Finding people: by any words of their name (each matched from its start), NHS number, client
id or date of birth, through the search index of clients/index.py (ADR 0019).

A query is read as one kind, in Python, so the SQL is always a few index range reads joined to
the scoped people: never an OR that would make the database read everyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Role
from openips.clients.index import normalise, words
from openips.clients.models import Kind, SearchKey
from openips.core import rules
from openips.organisations.models import Service

if TYPE_CHECKING:
    from openips.accounts.models import User
    from openips.clients.models import Person

MAX_LENGTH = 100
MAX_WORDS = 4  # enough for any name; each word is one more index read
DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
# term >= q AND term < q + this: a prefix read of a B-tree. The highest code point, so it sorts
# after any character in code-point order, which the term column keeps on both databases
# (SQLite compares bytes; on PostgreSQL the column's collation is "C", migration clients 0004).
AFTER_THE_LAST_TERM = "\U0010ffff"


class QueryKind(StrEnum):
    """What the audit trail records of a search: its kind, never its text (ADR 0017)."""

    NAME = "name"
    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Query:
    kind: QueryKind
    words: tuple[str, ...] = ()
    client_id: str = ""  # the whole text, when it could be a client id
    nhs_number: str = ""
    born: date | None = None


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
        return day if rules.EARLIEST <= day <= timezone.localdate() else None
    return None


def parse(text: str) -> Query:
    """What someone typed into a search box, read as one kind of query."""
    text = " ".join(text.split())[:MAX_LENGTH]
    digits = text.replace(" ", "").replace("-", "")
    if len(digits) == 10 and digits.isdigit():
        return Query(QueryKind.NHS_NUMBER, nhs_number=digits)
    if born := _date(text):
        return Query(QueryKind.DATE_OF_BIRTH, born=born)
    found = tuple(dict.fromkeys(words(text)))[:MAX_WORDS]
    if not found:
        return Query(QueryKind.NOTHING)
    could_be_id = rules.IDENTIFIER.fullmatch(text) is not None  # what a client id may be
    return Query(QueryKind.NAME, found, client_id=normalise(text) if could_be_id else "")


def _starting(word: str, *kinds: Kind) -> Q:
    return Q(kind__in=kinds, term__gte=word, term__lt=word + AFTER_THE_LAST_TERM)


def _ids(keys: QuerySet[SearchKey], condition: Q) -> QuerySet[SearchKey, Any]:
    return keys.filter(condition).values("person_id")


def matching(
    people: QuerySet[Person], services: QuerySet[Service], query: Query, *, by_birth: bool = True
) -> QuerySet[Person]:
    """The people (already scoped) that the query finds. `services` bounds the index read to
    their organisations; the people queryset is what decides who is shown."""
    keys = SearchKey.objects.filter(organisation__in=services.values("organisation"))
    match query.kind:
        case QueryKind.NHS_NUMBER:
            return people.filter(nhs_number=query.nhs_number)
        case QueryKind.DATE_OF_BIRTH if by_birth:
            born = keys.filter(kind=Kind.BORN, term=query.born.isoformat() if query.born else "")
            return people.filter(pk__in=born.values("person_id"))
        case QueryKind.NAME:
            first, *rest = query.words
            if query.client_id == first:  # a single word: a name, or a client id, from its start
                return people.filter(pk__in=_ids(keys, _starting(first, Kind.NAME, Kind.CLIENT_ID)))
            if query.client_id:  # "C-12", or "Smith-Jones": its words, or the whole client id
                named = _ids(keys, _starting(first, Kind.NAME))
                for word in rest:
                    named = named.intersection(_ids(keys, _starting(word, Kind.NAME)))
                exactly = _ids(keys, Q(kind=Kind.CLIENT_ID, term=query.client_id))
                return people.filter(pk__in=named.union(exactly))
            for word in query.words:  # every word of the query starts some word of the name
                people = people.filter(pk__in=_ids(keys, _starting(word, Kind.NAME)))
            return people
    return people.none()


def searchable_services(user: User) -> QuerySet[Service]:
    """The services whose people the user may find (a clinician: their clinical team's)."""
    if user.role == Role.CLINICIAN:
        team = user.clinical_team_id
        return Service.objects.filter(clinical_teams=team) if team else Service.objects.none()
    return services_with_client_access(user)
