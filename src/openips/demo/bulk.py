"""Writes generated rows straight into tables, bypassing the ORM: COPY on PostgreSQL, executemany
on SQLite. Only for synthetic data that is valid by construction; real records go through the
interchange rules. Ids are assigned by the caller (see `next_ids`), so rows can refer to each other
before they are written; `reset_sequences` brings the database's counters up to date afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class Table:
    """One model's table: rows are tuples in the order of `fields` (attribute names); every other
    column takes its field's default."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        meta = model._meta
        concrete = {f.attname: f for f in meta.concrete_fields}
        given = [concrete[name] for name in fields]
        # The primary key, when not given, is the database's to assign.
        rest = [f for f in meta.concrete_fields if f.attname not in fields and not f.primary_key]
        self.columns = [str(f.column) for f in [*given, *rest]]
        self.defaults = tuple(f.get_default() for f in rest)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.defaults)

    def write(self) -> int:
        count = len(self.rows)
        if count:
            _write(self.model._meta.db_table, self.columns, self.rows)
        self.rows = []
        return count


def _write(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def next_ids(model: type[models.Model]) -> int:
    """The first free id of a table: generated rows count up from it."""
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
