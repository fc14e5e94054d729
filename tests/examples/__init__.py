"""The worked example the tests import: see README.md beside this file."""

from pathlib import Path

SMALL_SERVICE = Path(__file__).resolve().parent / "small-service" / "data"
