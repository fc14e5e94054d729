"""Create and update through the API with the interchange format's columns and rules.

Request bodies are generated from the format's tables (schema.TABLES), so the API, the import and
the export can never disagree about a column. The checks are those of a folder import, then the
version check and audit of every edit (core.services).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as InputError
from pydantic import create_model

from openips.api.base import signed_in
from openips.core.services import EditConflict
from openips.interchange import exporter, records
from openips.interchange.schema import BOOL, CODE, DATE, DECIMAL, INTEGER, KEYS, TABLES, Column
from openips.organisations.models import Service

SERVICE_CODE = r"^[A-Za-z0-9_-]{1,40}$"


def _field(column: Column, *, required: bool) -> tuple[Any, Any]:
    kind: Any
    limits: dict[str, Any] = {}
    match column.kind:
        case x if x == DATE:
            kind = date
        case x if x == BOOL:
            kind = bool
        case x if x == DECIMAL:
            kind, limits = Decimal, {"max_digits": 12, "decimal_places": 4}
        case x if x == INTEGER:  # the range is the model field's rule; this is the column's
            kind, limits = int, {"ge": -(2**31), "le": 2**31 - 1}
        case x if x == CODE:
            # An optional code reads back as "" when empty, and may be sent back so.
            kind = Literal[column.codes if column.required else (*column.codes, "")]
        case _:
            kind, limits = str, {"max_length": 200}
    if required:
        return kind, Field(..., **limits)
    return kind | None, Field(None, **limits)


def input_schema(table: str, name: str, *, update: bool) -> type[Schema]:
    """The body for creating (with the service's code) or updating (with the version read).
    An update may leave out any column: what it leaves out stays as it is."""
    # Typed Any: create_model takes the fields as keywords beside its own options (__base__…).
    fields: dict[str, Any] = {
        c.name: _field(c, required=c.required and not update)
        for c in TABLES[table]
        if not (update and c.name == KEYS[table])
    }
    if update:
        fields["version"] = (int, Field(..., ge=1, le=2**31 - 1))
    else:
        fields["service"] = (str, Field(..., pattern=SERVICE_CODE))
    return create_model(name, __base__=Schema, **fields)


def _given(payload: Schema, name: str) -> Any:
    """A field of a body generated from the format's tables, which type hints cannot name."""
    return payload.model_dump(include={name})[name]


def _save(request: HttpRequest, service: Service, table: str, payload: Schema, **kw: Any) -> Any:
    values = payload.model_dump(exclude_unset=True)
    if (current := kw.get("current")) is not None:
        # An update changes only the columns it is sent: one left out keeps its value.
        values = exporter.current_values(service, table, current.pk) | values
    try:
        return records.save(
            signed_in(request),
            service,
            table,
            values,
            **kw,
        )
    except records.Invalid as invalid:
        raise InputError(
            [{"loc": ["body", c], "msg": m, "type": "invalid"} for c, m in invalid.problems]
        ) from None
    except EditConflict as conflict:
        raise HttpError(
            409,
            f"The record has changed since version {kw['started_from']}; it is now version "
            f"{conflict.current.version}. Read it again and reapply your change.",
        ) from None


def create(
    request: HttpRequest, services: models.QuerySet[Service], table: str, payload: Schema
) -> Status[Any]:
    """A new record in one of `services`, those the caller may write to: any other is not found."""
    service = get_object_or_404(services, code=_given(payload, "service"))
    return Status(201, _save(request, service, table, payload))


def update(request: HttpRequest, current: Any, table: str, payload: Schema) -> Any:
    """`current` comes from the caller's scoped query, so it is theirs to change. An episode
    stays with its person: moving it would carry one person's details onto another's."""
    moved = getattr(payload, "client_id", None)
    if table == "episodes" and moved is not None and moved != current.person.client_id:
        message = "An episode's client_id cannot be changed; refer the other person instead"
        raise InputError([{"loc": ["body", "client_id"], "msg": message, "type": "invalid"}])
    return _save(
        request,
        current.service,
        table,
        payload,
        current=current,
        started_from=_given(payload, "version"),
    )
