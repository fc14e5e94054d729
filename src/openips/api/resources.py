"""The shape every kind of record takes in the API, written once.

A router module describes each kind it serves as a `Resource` and `serve`s them; an endpoint that
is genuinely its own it adds to the router `serve` returns. Each resource answers:

- GET /<many>: a page of the records the caller may read (`base.Page` audits each person on it);
- GET /<many>/{pk}: one of them, on the person's audit trail (`base.viewed`);
- POST /<many>: a new record in one of the caller's services (201);
- PUT /<many>/{pk}: a change to one they may read, from the version read (409 if it has moved on).

Writes take the interchange table's columns and rules (`api/writes.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import GenericAlias
from typing import Any, Generic

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.api import writes
from openips.api.base import M, Page, caller, record_id, responses, viewed
from openips.organisations.models import Service


@dataclass(frozen=True)
class Resource(Generic[M]):
    one: str  # "episode": the endpoints' names (get_episode) and bodies (EpisodeNew, …Update)
    many: str  # "episodes": the path, and the interchange table written to
    out: type[Schema]  # what a read answers and a write answers with
    read: Capability
    scope: Callable[[User], QuerySet[M]]  # what the caller may read, in a stable order
    write: Capability
    services: Callable[[User], QuerySet[Service]]  # where the caller may create one
    list_url_name: str = ""  # when not `many` (staff is both the list and one)
    about_people: bool = True  # a single read goes on the person's audit trail

    def readable(self, request: HttpRequest) -> QuerySet[M]:
        return self.scope(caller(request, self.read))

    def register(self, router: Router, module: str) -> None:
        """The four endpoints, named as if written in `module` (a router module's `__name__`),
        so that each operation id, summary and url name says which kind of record it serves."""
        body = self.one.title()
        new = writes.input_schema(self.many, f"{body}New", update=False)
        changes = writes.input_schema(self.many, f"{body}Update", update=True)

        def listing(request: HttpRequest) -> QuerySet[M]:
            return self.readable(request)

        def single(request: HttpRequest, pk: int = record_id()) -> M:
            found = get_object_or_404(self.readable(request), pk=pk)
            return viewed(request, found) if self.about_people else found

        def create(request: HttpRequest, payload: Schema) -> Status[M]:
            user = caller(request, self.write)
            return writes.create(request, self.services(user), self.many, payload)

        def update(request: HttpRequest, payload: Schema, pk: int = record_id()) -> M:
            caller(request, self.write)
            current = get_object_or_404(self.readable(request), pk=pk)
            changed: M = writes.update(request, current, self.many, payload)
            return changed

        def add(
            method: str, path: str, view: Callable[..., Any], name: str, ok: Any, url_name: str = ""
        ) -> None:
            router.add_api_operation(
                path,
                [method],
                view,
                response=ok,
                operation_id=f"{module}_{name}".replace(".", "_"),
                summary=name.title().replace("_", " "),
                url_name=url_name or name,  # a write's is its name, as ninja would give it
            )

        items, item, out = f"/{self.many}", f"/{self.many}/{{pk}}", self.out
        listed = responses(GenericAlias(list, (out,)))
        list_name = self.list_url_name or self.many
        add("GET", items, paginate(Page)(listing), f"list_{self.many}", listed, url_name=list_name)
        add("GET", item, single, f"get_{self.one}", responses(out), url_name=self.one)
        add("POST", items, _body(create, new), f"create_{self.one}", responses(out, 201))
        add("PUT", item, _body(update, changes), f"update_{self.one}", responses(out, edits=True))


def _body(view: Callable[..., Any], schema: type[Schema]) -> Callable[..., Any]:
    """Give a write its request body's type where ninja reads it. The body is made at run time
    from the interchange table, which mypy cannot take as an annotation, so the view is written
    against `Schema` and takes the real type here."""
    view.__annotations__["payload"] = schema
    return view


def serve(module: str, tag: str, *resources: Resource[Any]) -> Router:
    """A router, tagged `tag` in the schema, answering each resource's four endpoints."""
    router = Router(tags=[tag])
    for resource in resources:
        resource.register(router, module)
    return router
