"""The IPS-25 scale as versioned data (data/*.json): items, sections, anchors in the product's
own short wording, and the numeric thresholds the data-derived estimates score against. A
deployment may add its licensed official wording as another file (the FIDELITY_SCALE_FILE
setting; docs/fidelity.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

BUILT_IN = Path(__file__).with_name("data")


class ScaleError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    number: int
    section: str
    name: str
    description: str
    anchors: tuple[str, ...]  # what a rating of 1 … 5 means
    status: str  # V: thresholds read in a published copy; B: best reading, to confirm
    thresholds: dict[str, Any] | None

    def best_limit(self) -> float | None:
        """The value at which the top anchor (5) stops: 20 clients per full-time post for
        caseload size. None for an item without thresholds."""
        if self.thresholds is None:
            return None
        return next((float(limit) for score, limit in self.thresholds["bands"] if score == 5), None)

    def score(self, value: float | None, count: int | None = None) -> int | None:
        """The anchor a measured value reaches, by the thresholds in the data file."""
        t = self.thresholds
        if t is None or value is None:
            return None
        if count is not None and count < t.get("minimum_count", 0):
            return 1
        for score, limit in t["bands"]:
            if (value <= limit) if t["direction"] == "at_most" else (value >= limit):
                return int(score)
        return int(t["otherwise"])


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    variant: str
    wording: str
    bands: tuple[tuple[int, str], ...]  # (lowest total, label), highest first
    items: tuple[Item, ...]

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def band(self, total: int) -> str:
        return next(label for lowest, label in self.bands if total >= lowest)


def parse(data: dict[str, Any], source: str) -> Scale:
    try:
        items = tuple(
            Item(
                int(i["number"]),
                str(i["section"]),
                str(i["name"]),
                str(i.get("description", "")),
                tuple(str(a) for a in i["anchors"]),
                str(i.get("status", "B")),
                i.get("thresholds"),
            )
            for i in data["items"]
        )
        scale = Scale(
            str(data["id"]),
            str(data["name"]),
            str(data.get("variant", "")),
            str(data.get("wording", "")),
            tuple((int(b["from"]), str(b["label"])) for b in data["bands"]),
            items,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ScaleError(f"{source}: not a fidelity scale file ({error})") from None
    if [i.number for i in items] != list(range(1, 26)):
        raise ScaleError(f"{source}: items must be numbered 1 to 25, in order")
    if any(len(i.anchors) != 5 for i in items):
        raise ScaleError(f"{source}: every item needs 5 anchors")
    return scale


@cache
def scales() -> dict[str, Scale]:
    paths = sorted(BUILT_IN.glob("*.json"))
    extra = getattr(settings, "FIDELITY_SCALE_FILE", "")
    if extra:
        paths.append(Path(extra))
    found = {}
    for path in paths:
        scale = parse(json.loads(path.read_text(encoding="utf-8")), str(path))
        found[scale.id] = scale
    return found


def default() -> Scale:
    return scales()[getattr(settings, "FIDELITY_DEFAULT_SCALE", "ips25-uk-1")]
