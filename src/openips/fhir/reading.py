"""Reading a request's JSON: each problem named by its element (a FHIRPath expression), none
said twice. The `fhir.resources` model speaks first; a rule of ours about an element the model
refused already keeps quiet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from fhir.resources.R4B.resource import Resource

from openips.core import rules
from openips.fhir.http import Issue


@dataclass
class Reading:
    issues: list[Issue] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)  # elements the model refused already

    def problem(self, code: str, path: str, text: str) -> None:
        if not any(
            path == f or path.startswith(f + ".") or path.startswith(f + "[") for f in self.flagged
        ):
            self.issues.append(Issue(code, text, path))


def path_of(root: str, loc: tuple[int | str, ...]) -> str:
    path = root
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.isidentifier():
            path += f".{part}"
    return path


MODEL_CODES = {
    "missing": "required",
    "model_field_validation.missing": "required",
    "extra_forbidden": "structure",
}


def model_problems(model: type[Resource], body: dict[str, Any], reading: Reading) -> None:
    try:
        model.model_validate(body)
    except pydantic.ValidationError as invalid:
        for error in invalid.errors():
            path = path_of(model.get_resource_type(), tuple(error["loc"]))
            words = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                words = "is not an element here"
            reading.issues.append(
                Issue(MODEL_CODES.get(error["type"], "value"), f"{path}: {words}", path)
            )
            reading.flagged.add(path)


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def checked(reading: Reading, path: str, value: Any, *validators: Any) -> None:
    for validator in validators:
        try:
            validator(value)
        except ValidationError as refused:
            reading.problem("value", path, f"{path} {refused.messages[0]}")
            return


def one_line(reading: Reading, path: str, value: str, longest: int) -> str:
    if len(value) > longest:
        reading.problem("value", path, f"{path} must be {longest} characters or fewer")
    checked(reading, path, value, rules.TEXT)
    return value
