"""The NHS Data Dictionary code lists the extract writes, held as data (codes/*.json): each file
gives the national list, the data dictionary item it comes from, and how our values map onto
it. Loading checks that every mapped code is one of the list's own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "codes"


@dataclass(frozen=True)
class CodeList:
    name: str
    field: str
    item: str
    source: str
    codes: dict[str, str]
    map: dict[str, str]
    not_known: str | None
    # For a list of bands (weekly hours): each band's inclusive lower bound, highest first.
    bands: tuple[tuple[Decimal, str], ...] = ()

    def code(self, ours: str) -> str:
        """The national code for one of our values; a value we hold no mapping for (blank,
        say) is the list's not-known code. A value mapped to "" has no code in the list: the
        item is left empty, and the extract warns if it is one the specification requires."""
        found = self.map.get(ours, self.not_known)
        if found is None:
            raise KeyError(f"{self.name} has no code for {ours!r} and no not-known code")
        return found


@cache
def code_list(name: str) -> CodeList:
    data = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    listed = CodeList(
        name=data["list"],
        field=data["field"],
        item=data["data_dictionary_item"],
        source=data["source"],
        codes=data["codes"],
        map=data["map"],
        not_known=data.get("not_known"),
        bands=tuple((Decimal(str(lower)), band) for lower, band in data.get("bands", [])),
    )
    used = [*listed.map.values(), listed.not_known, *(band for _, band in listed.bands)]
    strays = {c for c in used if c} - set(listed.codes)
    if strays:
        raise ValueError(f"{name}.json maps to codes not in its list: {sorted(strays)}")
    return listed


def code(name: str, ours: str) -> str:
    return code_list(name).code(ours)


def every_list() -> list[CodeList]:
    return [code_list(path.stem) for path in sorted(FOLDER.glob("*.json"))]
