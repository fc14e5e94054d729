"""The command line and every worker start without the heavy numerical and spreadsheet
libraries: the pages and commands that draw a curve, a funnel or a workbook load them on first
use. Measured in a fresh interpreter, as `openips check` starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("scipy", "statsmodels", "pandas", "openpyxl")

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as a server's first request imports them
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[1:])))
"""


def test_the_app_and_its_urls_load_without_the_heavy_libraries() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openips.config.settings.test"}
    out = subprocess.run(  # noqa: S603  (our own probe)
        [sys.executable, "-c", PROBE, *HEAVY], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_a_page_that_draws_a_curve_still_loads_them_when_it_needs_them() -> None:
    from openips.outcomes.survival import kaplan_meier

    curve = kaplan_meier([30, 60, 90], [True, False, True])
    assert curve is not None and curve.events == 2
    assert "statsmodels" in sys.modules
