"""Finds unscoped reads of personal data in the modules that serve requests, for
tests/test_scoped_reads.py. Everything is derived (from the app registry, the URLconf, the
settings and the imports), so a new model, view or helper is checked without being listed here.

Personal-data models: clients.Person; every model with a foreign key (or many-to-many) to a
personal-data model, followed transitively (episodes, contacts, jobs, their changes, …); and the
roots that name people without a foreign key (EXTRA_ROOTS). accounts.User is checked as well:
it holds staff names, email addresses and usernames, read on purpose (the users pages, the IG
lead's search, sign-in). It is not a root: a foreign key to a user says who did something, not
whose record it is, so following it would make nearly every model "personal". Staff members (work
contact details a service publishes to its clinical teams) and employers are not personal here.

Checked modules:
- request modules: everything the URLconf reaches (each urls module, the modules it imports or
  names in `include()` and handlers, followed through nested urls modules); the request hooks in
  settings (middleware, authentication backends, upload handlers, context processors); and by
  name, every `views.py`, `*_views.py`, `views/` package, `api.py`, `access_grants.py`,
  `*urls.py` and module under `api/`.
- page-flow modules: every openips module a request module imports directly (queries, presenters,
  forms, search, caseload, services, …): what a view calls to read records for its page is where
  the scope is decided. `models` modules are left out: `visible_to` itself is built there from
  the unscoped manager (tests/clients/test_scoping.py tests it). One hop only: modules further down
  (outcomes.facts, clients.index) are handed querysets or ids chosen by that first hop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

import openips

SRC = Path(openips.__file__).parent
ROOT = "clients.Person"
# Models naming people without a foreign key to them.
EXTRA_ROOTS = {
    "audit.AuditEvent": "names its person by a plain id, so the trail outlives the record",
    "interchange.ImportJob": "an uploaded file of client records; its problems quote cells",
}
STAFF = ("accounts.User",)
# After the manager: the scoped read, and calls that read no rows (writes of given objects).
SCOPED = frozenset({"visible_to", "none", "create", "bulk_create", "bulk_update"})
PRIVATE_MANAGERS = frozenset({"_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
NAME_PATTERNS = ("views.py", "api.py", "access_grants.py")


@dataclass(frozen=True, order=True)
class Offence:
    module: str  # relative to src/openips
    model: str  # the model's class name, or the expression a dynamic manager hangs off
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.code}"


def _points_at(model: type[models.Model], targets: set[type[models.Model]]) -> bool:
    return any(
        f.is_relation and not f.auto_created and f.related_model in targets
        for f in model._meta.get_fields()
    )


@cache
def personal_models() -> dict[str, type[models.Model]]:
    """By class name: the roots, every model pointing at one of them (transitively), and STAFF."""
    found = {apps.get_model(label) for label in (ROOT, *EXTRA_ROOTS)}
    while more := {m for m in apps.get_models() if m not in found and _points_at(m, found)}:
        found |= more
    found |= {apps.get_model(label) for label in STAFF}
    return {m.__name__: m for m in found}


@cache
def model_names() -> frozenset[str]:
    return frozenset(m.__name__ for m in apps.get_models())


def _managers(model: type[models.Model]) -> set[str]:
    return {m.name for m in model._meta.managers} | PRIVATE_MANAGERS


@cache
def _all_modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _module_of(dotted: str) -> str | None:
    """The openips module a dotted name is, or holds (`openips.core.views.not_found`)."""
    parts = dotted.split(".")
    while parts and ".".join(parts) not in _all_modules():
        parts.pop()
    return ".".join(parts) if parts and parts[0] == "openips" else None


def _imports(module: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(_all_modules()[module].read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {m for name in names if (m := _module_of(name))}
    return found


def _named(module: str) -> set[str]:
    """Modules a urls module names in strings: include("…urls"), handler404 = "…views.x"."""
    tree = ast.parse(_all_modules()[module].read_text())
    strings = (n.value for n in ast.walk(tree) if isinstance(n, ast.Constant))
    return {m for s in strings if isinstance(s, str) and (m := _module_of(s))}


def _from_urlconf() -> set[str]:
    found: set[str] = set()
    todo = [str(settings.ROOT_URLCONF)]
    while todo:
        module = todo.pop()
        found.add(module)
        reached = (_imports(module) | _named(module)) - found
        found |= reached
        todo += [m for m in reached if m.rpartition(".")[2].endswith("urls")]
    return found


def _hooks() -> Iterator[str]:
    yield from settings.MIDDLEWARE
    yield from settings.AUTHENTICATION_BACKENDS
    yield from settings.FILE_UPLOAD_HANDLERS
    engines: list[dict[str, Any]] = settings.TEMPLATES
    for engine in engines:
        yield from engine.get("OPTIONS", {}).get("context_processors", [])


def _by_name(module: str) -> bool:
    path = _all_modules()[module]
    return (
        path.name in NAME_PATTERNS
        or path.name.endswith(("_views.py", "urls.py"))
        or "views" in path.relative_to(SRC).parts[:-1]
        or module == "openips.api"
        or module.startswith("openips.api.")
    )


def _relative(modules: Iterable[str]) -> set[str]:
    return {str(_all_modules()[m].relative_to(SRC)) for m in modules}


@cache
def request_modules() -> frozenset[str]:
    hooked = {m for hook in _hooks() if (m := _module_of(hook))}
    named = {m for m in _all_modules() if _by_name(m)}
    return frozenset(_relative(_from_urlconf() | hooked | named))


@cache
def page_flow_modules() -> frozenset[str]:
    by_module = {str(p.relative_to(SRC)): m for m, p in _all_modules().items()}
    imported = {i for r in request_modules() for i in _imports(by_module[r])}
    kept = {m for m in imported if m.rpartition(".")[2] != "models"}
    return frozenset(_relative(kept) - request_modules())


def _model_named(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The model class an expression names (`Person`, `models.Person`, an alias), if any."""
    if isinstance(node, ast.Name):
        name = aliases.get(node.id, node.id)
    elif isinstance(node, ast.Attribute):
        name = node.attr
    else:
        return None
    return name if name in model_names() else None


def _aliases(tree: ast.Module) -> dict[str, str]:
    return {
        a.asname: a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for a in node.names
        if a.asname
    }


def _manager_offence(node: ast.Attribute, parent: Any, aliases: dict[str, str]) -> str | None:
    """The model an unscoped manager read is of; a dynamic private manager (`model.
    _base_manager`, `type(obj)._base_manager`) is one too, since its model could be personal."""
    name = _model_named(node.value, aliases)
    personal = personal_models()
    if name in personal:
        if node.attr not in _managers(personal[name]):
            return None
    elif name is None and node.attr in PRIVATE_MANAGERS:
        name = ast.unparse(node.value)
    else:
        return None
    scoped = isinstance(parent, ast.Attribute) and parent.attr in SCOPED
    return None if scoped else name


def _shortcut_offence(node: ast.Call, aliases: dict[str, str]) -> str | None:
    func = node.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if called not in SHORTCUTS:
        return None
    klass = (
        node.args[0]
        if node.args
        else next((k.value for k in node.keywords if k.arg == "klass"), None)
    )
    name = _model_named(klass, aliases) if klass is not None else None
    return name if name in personal_models() else None


def offences(source: str, module: str = "<snippet>") -> list[Offence]:
    tree = ast.parse(source)
    aliases = _aliases(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            model = _manager_offence(node, parents.get(node), aliases)
            shown: ast.AST = parents.get(node, node)  # with the method called on the manager
        elif isinstance(node, ast.Call):
            model, shown = _shortcut_offence(node, aliases), node
        else:
            continue
        if model is not None:
            code = ast.unparse(shown).splitlines()[0][:80]
            found.append(Offence(module, model, node.lineno, code))
    return sorted(found)


def offences_in(modules: Iterable[str]) -> list[Offence]:
    return [o for m in sorted(modules) for o in offences((SRC / m).read_text(), m)]
