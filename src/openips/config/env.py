"""Typed helpers that read settings from environment variables (twelve-factor style)."""

import math
import os


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_numbers(name: str, default: str = "") -> dict[str, str]:
    """`key=number,key=number`: each number checked here, so a mistake stops the start."""
    found = {}
    for item in env_list(name, default):
        key, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{name}: {item!r} must be key=number") from None
        if not sep or not key.strip() or not math.isfinite(number) or number <= 0:
            raise ValueError(f"{name}: {item!r} must be key=number, the number above 0")
        found[key.strip()] = value.strip()
    return found
