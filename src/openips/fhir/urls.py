"""/fhir/R4/: the metadata, then an address per resource type and per resource, each answering
the methods its routes take. Anything else under the base is a 404 OperationOutcome."""

from __future__ import annotations

from itertools import groupby

from django.urls import URLPattern, path, re_path

from openips.fhir import capability, http
from openips.fhir.routes import ROUTES, Route

app_name = "fhir"


def level(route: Route) -> tuple[str, bool]:
    return route.resource, route.on_instance


def patterns() -> list[URLPattern]:
    found = [path("metadata", http.endpoint({"GET": capability.metadata}), name="metadata")]
    for (resource, on_instance), group in groupby(sorted(ROUTES, key=level), key=level):
        routes = list(group)
        view = http.endpoint({r.method: r for r in routes})
        if on_instance:
            found.append(path(f"{resource}/<str:pk>", view, name=resource.lower()))
        else:
            name = f"{resource.lower()}_{'_'.join(r.interaction.split('-')[0] for r in routes)}"
            found.append(path(resource, view, name=name))
    return [*found, re_path(r"^.*$", http.unknown, name="unknown")]


urlpatterns = patterns()
