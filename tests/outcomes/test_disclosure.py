"""Small-number disclosure control, including an attempt to recover a withheld cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openips.outcomes.disclosure import WITHHELD, Rule, protect_column, protect_table

RULE = Rule()


def test_counts_zero_stays_small_ones_are_withheld_the_rest_rounded_to_5() -> None:
    assert [RULE.count(n) for n in (0, 1, 7, 8, 12, 13, 102)] == [0, "*", "*", 10, 10, 15, 100]


def test_one_withheld_cell_takes_the_next_smallest_with_it() -> None:
    shown, total = protect_column([3, 40, 50], 93, RULE)
    assert shown == [WITHHELD, WITHHELD, 50] and total == 95


def test_a_withheld_cell_beside_zeros_withholds_the_total() -> None:
    assert protect_column([0, 5, 0], 5, RULE) == ([0, WITHHELD, 0], WITHHELD)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8))
def test_differencing_the_total_never_recovers_a_withheld_cell(cells: list[int]) -> None:
    shown, total = protect_column(cells, sum(cells), RULE)
    withheld = [i for i, s in enumerate(shown) if s == WITHHELD]
    if total != WITHHELD:
        # Total minus the shown cells is a sum over the withheld ones: never just one of them.
        assert len(withheld) != 1
        # And rounding cannot be undone either: shown cells are multiples of 5 (or 0).
        assert all(s == WITHHELD or (isinstance(s, int) and s % 5 == 0) for s in shown)


def test_a_rate_is_withheld_when_its_denominator_is_small_or_its_counts_are() -> None:
    rows = [
        {"served": 30, "into_work": 12, "rate": 0.4},
        {"served": 6, "into_work": 6, "rate": 1.0},
        {"served": 50, "into_work": 5, "rate": 0.1},
    ]
    total = {"served": 86, "into_work": 23, "rate": 23 / 86}
    table = protect_table(rows, total, ["served", "into_work"], {"rate": ("into_work", "served")})
    assert table.rows[0] == {"served": WITHHELD, "into_work": 10, "rate": WITHHELD}
    assert table.rows[1] == {"served": WITHHELD, "into_work": WITHHELD, "rate": WITHHELD}
    assert table.rows[2] == {"served": 50, "into_work": WITHHELD, "rate": WITHHELD}
    # The total's rate is 25 of 85, as shown, not 23 of 86, which would name both counts.
    assert table.total == {"served": 85, "into_work": 25, "rate": 25 / 85}


def test_a_number_in_a_column_that_is_neither_count_nor_rate_is_refused() -> None:
    # Anything numeric must be declared, so an exact count cannot pass through unprotected.
    rows = [{"name": "A", "served": 30, "people": 31}]
    with pytest.raises(ValueError, match="people"):
        protect_table(rows, {"name": "", "served": 30, "people": 31}, ["served"], {})
    table = protect_table([{"name": "A", "served": 31}], {"name": "", "served": 31}, ["served"], {})
    assert table.rows == ({"name": "A", "served": 30},) and table.total["served"] == 30
