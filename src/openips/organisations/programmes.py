"""The programmes a service may deliver, and each one's rules, as data (data/programmes.json;
docs/programmes.md, ADR 0033). Code reads a programme's rules through `Programme`, never its
code: a new programme is a new entry in the file. The file is read and checked at import, so a
mistake in it stops the application starting rather than showing up on a page.

Pure Python, no Django: which programme a service delivers on a day is organisations.queries'."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

FILE = Path(__file__).with_name("data") / "programmes.json"
DEFAULT = "ips_smi"  # what a service with no programme recorded delivers
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")  # fits ServiceProgramme.programme


class ProgrammeError(ValueError):
    """The programmes file says something it may not."""


@dataclass(frozen=True)
class Benchmark:
    text: str
    target: float | None = None


@dataclass(frozen=True)
class SupportLimits:
    """How long support lasts: job search from acceptance, in-work support from a job start,
    and how many days before either limit the specialist is prompted."""

    job_search_days: int
    in_work_days: int
    prompt_days_before: int


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    description: str  # one line, shown beside the name where a programme is chosen
    limits: SupportLimits | None  # None: support is not time-limited
    kpis: tuple[str, ...]  # the outcome measures its dashboard shows, in order
    benchmarks: Mapping[str, Benchmark]  # by measure, each one of kpis
    fidelity_scale: str  # the family of fidelity scale its reviews use ("ips25")
    modified_items: Mapping[int, str]  # fidelity items read differently, with the reason
    in_work_at_referral_check: bool  # IPS Grow's "at most 15% in work at referral"
    job_retention: bool  # has a caseload of people in work, helped to keep their job
    # records the NHS Talking Therapies data set's employment fields (talking-therapies.md)
    talking_therapies_record: bool

    @property
    def time_limited(self) -> bool:
        return self.limits is not None


KEYS = frozenset(
    {
        "name",
        "description",
        "support_limits",
        "kpis",
        "benchmarks",
        "fidelity",
        "in_work_at_referral_check",
        "job_retention",
        "talking_therapies_record",
    }
)
LIMIT_KEYS = frozenset({"job_search_days", "in_work_days", "prompt_days_before"})
BENCHMARK_KEYS = frozenset({"text", "target"})
FIDELITY_KEYS = frozenset({"scale", "modified_items"})


def _keys(
    data: Any, expected: frozenset[str], where: str, optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProgrammeError(f"{where}: must be an object")
    if unknown := sorted(data.keys() - expected):
        raise ProgrammeError(f"{where}: unknown keys {unknown}")
    if missing := sorted(expected - optional - data.keys()):
        raise ProgrammeError(f"{where}: missing keys {missing}")
    return data


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise ProgrammeError(f"{where}: must be one line of text")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProgrammeError(f"{where}: must be true or false")
    return value


def _days(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ProgrammeError(f"{where}: must be a whole number of days, 1 or more")
    return int(value)


def _limits(data: Any, where: str) -> SupportLimits | None:
    if data is None:
        return None
    _keys(data, LIMIT_KEYS, where)
    limits = SupportLimits(
        job_search_days=_days(data["job_search_days"], f"{where}.job_search_days"),
        in_work_days=_days(data["in_work_days"], f"{where}.in_work_days"),
        prompt_days_before=_days(data["prompt_days_before"], f"{where}.prompt_days_before"),
    )
    if limits.prompt_days_before >= min(limits.job_search_days, limits.in_work_days):
        raise ProgrammeError(f"{where}.prompt_days_before: must be shorter than each limit")
    return limits


def _kpis(data: Any, where: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not data:
        raise ProgrammeError(f"{where}: must be a list of measures")
    kpis = tuple(_text(k, f"{where}[{n}]") for n, k in enumerate(data))
    if len(set(kpis)) != len(kpis):
        raise ProgrammeError(f"{where}: names a measure twice")
    return kpis


def _benchmarks(data: Any, kpis: tuple[str, ...], where: str) -> Mapping[str, Benchmark]:
    if not isinstance(data, dict):
        raise ProgrammeError(f"{where}: must be an object")
    found = {}
    for key, value in data.items():
        at = f"{where}.{key}"
        if key not in kpis:
            raise ProgrammeError(f"{at}: not one of the programme's kpis")
        _keys(value, BENCHMARK_KEYS, at, optional=frozenset({"target"}))
        target = value.get("target")
        if target is not None and (isinstance(target, bool) or not isinstance(target, int | float)):
            raise ProgrammeError(f"{at}.target: must be a number or null")
        found[key] = Benchmark(_text(value["text"], f"{at}.text"), target)
    return MappingProxyType(found)


def _modified(data: Any, where: str) -> Mapping[int, str]:
    if not isinstance(data, dict):
        raise ProgrammeError(f"{where}: must be an object of item numbers")
    found = {}
    for number, note in data.items():
        if not (isinstance(number, str) and number.isdigit() and int(number) >= 1):
            raise ProgrammeError(f"{where}: {number!r} is not an item number")
        found[int(number)] = _text(note, f"{where}.{number}")
    return MappingProxyType(found)


def parse(data: Any, source: str) -> dict[str, Programme]:
    """Every programme in a programmes file, checked: no key missing, none unknown."""
    if not isinstance(data, dict) or not data:
        raise ProgrammeError(f"{source}: must be an object of programmes")
    found = {}
    for code, entry in data.items():
        where = f"{source}: {code}"
        if not (isinstance(code, str) and CODE.fullmatch(code)):
            raise ProgrammeError(f"{where}: a programme's code is lower case letters, digits, _")
        _keys(entry, KEYS, where)
        kpis = _kpis(entry["kpis"], f"{where}.kpis")
        fidelity = _keys(entry["fidelity"], FIDELITY_KEYS, f"{where}.fidelity")
        found[code] = Programme(
            code=code,
            name=_text(entry["name"], f"{where}.name"),
            description=_text(entry["description"], f"{where}.description"),
            limits=_limits(entry["support_limits"], f"{where}.support_limits"),
            kpis=kpis,
            benchmarks=_benchmarks(entry["benchmarks"], kpis, f"{where}.benchmarks"),
            fidelity_scale=_text(fidelity["scale"], f"{where}.fidelity.scale"),
            modified_items=_modified(
                fidelity["modified_items"], f"{where}.fidelity.modified_items"
            ),
            in_work_at_referral_check=_flag(
                entry["in_work_at_referral_check"], f"{where}.in_work_at_referral_check"
            ),
            job_retention=_flag(entry["job_retention"], f"{where}.job_retention"),
            talking_therapies_record=_flag(
                entry["talking_therapies_record"], f"{where}.talking_therapies_record"
            ),
        )
    if DEFAULT not in found:
        raise ProgrammeError(f"{source}: has no {DEFAULT}, the programme of a service by default")
    return found


def load(path: Path) -> dict[str, Programme]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ProgrammeError(f"{path}: cannot be read ({error})") from None
    return parse(data, str(path))


PROGRAMMES: Mapping[str, Programme] = MappingProxyType(load(FILE))


def rules(code: str) -> Programme:
    """A programme by its code; ProgrammeError for one the file does not hold."""
    try:
        return PROGRAMMES[code]
    except KeyError:
        raise ProgrammeError(f"No programme {code!r} in {FILE.name}") from None


def default() -> Programme:
    return PROGRAMMES[DEFAULT]


def choices() -> list[tuple[str, str]]:
    """(code, name) in the file's order: the choices of ServiceProgramme.programme."""
    return [(p.code, p.name) for p in PROGRAMMES.values()]
