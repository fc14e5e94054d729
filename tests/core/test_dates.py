from datetime import date

from openips.core.dates import add_days, add_years, whole_years


def test_days_are_added_and_held_at_the_ends_of_the_calendar() -> None:
    assert add_days(date(2025, 2, 27), 2) == date(2025, 3, 1)
    assert add_days(date(2025, 1, 1), -1) == date(2024, 12, 31)
    assert add_days(date(9999, 12, 30), 364) == date.max
    assert add_days(date(1, 1, 2), -28) == date.min


def test_years_are_added_with_29_february_as_28_february() -> None:
    assert add_years(date(2024, 2, 29), 8) == date(2032, 2, 29)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(9995, 6, 1), 8) == date.max
    assert add_years(date(3, 6, 1), -8) == date.min


def test_an_age_in_whole_years_goes_up_on_the_birthday() -> None:
    assert whole_years(date(2007, 6, 2), date(2025, 6, 1)) == 17
    assert whole_years(date(2007, 6, 2), date(2025, 6, 2)) == 18
    # Born on 29 February: a year older on 1 March when the year has no 29 February.
    assert whole_years(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert whole_years(date(2008, 2, 29), date(2026, 3, 1)) == 18
