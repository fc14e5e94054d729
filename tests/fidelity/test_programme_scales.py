"""Each programme names a fidelity scale family held as data, and the items it reads
differently are items of that scale."""

from __future__ import annotations

import pytest

from openips.fidelity.scale import scales
from openips.organisations.programmes import PROGRAMMES


@pytest.mark.parametrize("code", list(PROGRAMMES))
def test_a_programmes_scale_and_modified_items_exist(code: str) -> None:
    programme = PROGRAMMES[code]
    family = [s for s in scales().values() if s.id.startswith(f"{programme.fidelity_scale}-")]
    assert family, f"{code} names no fidelity scale held"
    for scale in family:
        numbers = {item.number for item in scale.items}
        assert set(programme.modified_items) <= numbers
