"""The programmes file: every programme has its rules, the file's keys are checked, and the
rules read as the brief for each programme says. No database."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from openips.organisations import programmes
from openips.organisations.programmes import (
    DEFAULT,
    FILE,
    PROGRAMMES,
    Benchmark,
    ProgrammeError,
    SupportLimits,
    parse,
)

RAW: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))


def changed(edit: Any) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    edit(data)
    return data


def test_every_programme_in_the_choices_has_rules() -> None:
    codes = [code for code, _ in programmes.choices()]
    assert codes == ["ips_smi", "ips_primary_care", "talking_therapies_employment"]
    for code in codes:
        found = programmes.rules(code)
        assert found.code == code and found.name and found.description
        assert found.kpis, code
    assert programmes.default().code == DEFAULT == "ips_smi"


def test_an_unknown_programme_is_refused() -> None:
    with pytest.raises(ProgrammeError, match="No programme 'ips_cobol'"):
        programmes.rules("ips_cobol")


def test_ips_smi_keeps_the_benchmarks_the_dashboard_had() -> None:
    smi = programmes.rules("ips_smi")
    assert dict(smi.benchmarks) == {
        "employment_rate_out_of_work": Benchmark("IPS Grow: 40%", 0.40),
        "competitive_employment_rate": Benchmark("IPS Learning Community: 31% / 41% / 50%", 0.41),
        "sustained_13_weeks": Benchmark("IPS Grow: 65%", 0.65),
        "in_work_at_referral_share": Benchmark("IPS Grow: at most 15%", 0.15),
    }
    assert smi.limits is None and not smi.time_limited
    assert smi.in_work_at_referral_check and not smi.job_retention
    assert dict(smi.modified_items) == {}


def test_ips_in_primary_care_is_time_limited_with_job_retention() -> None:
    ipspc = programmes.rules("ips_primary_care")
    assert ipspc.limits == SupportLimits(
        job_search_days=273, in_work_days=122, prompt_days_before=28
    )
    assert "job_outcomes" in ipspc.kpis
    assert ipspc.job_retention and not ipspc.in_work_at_referral_check
    assert "time-limited" in ipspc.modified_items[23]


def test_every_programme_is_read_by_ips25_and_only_ips_smi_checks_in_work_at_referral() -> None:
    assert {p.fidelity_scale for p in PROGRAMMES.values()} == {"ips25"}
    checked = [p.code for p in PROGRAMMES.values() if p.in_work_at_referral_check]
    assert checked == ["ips_smi"]
    for code in ("ips_primary_care", "talking_therapies_employment"):
        assert list(programmes.rules(code).modified_items) == [23]


def test_the_rules_cannot_be_changed_in_memory() -> None:
    with pytest.raises(TypeError):
        programmes.rules("ips_smi").benchmarks["job_starts"] = Benchmark("x")  # type: ignore[index]
    with pytest.raises(TypeError):
        PROGRAMMES["new"] = programmes.default()  # type: ignore[index]


def test_the_file_as_shipped_parses() -> None:
    assert parse(RAW, "programmes.json") == dict(PROGRAMMES)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["ips_smi"].update(colour="blue"), r"ips_smi: unknown keys \['colour'\]"),
        (lambda d: d["ips_smi"].pop("job_retention"), r"missing keys \['job_retention'\]"),
        (
            lambda d: d["ips_primary_care"]["support_limits"].update(grace_days=3),
            r"support_limits: unknown keys \['grace_days'\]",
        ),
        (
            lambda d: d["ips_primary_care"]["support_limits"].pop("in_work_days"),
            r"support_limits: missing keys",
        ),
        (
            lambda d: d["ips_primary_care"]["support_limits"].update(prompt_days_before=122),
            "must be shorter than each limit",
        ),
        (
            lambda d: d["ips_primary_care"]["support_limits"].update(job_search_days="273"),
            "job_search_days: must be a whole number of days",
        ),
        (
            lambda d: d["ips_smi"]["benchmarks"].update(job_outcomes={"text": "x"}),
            "job_outcomes: not one of the programme's kpis",
        ),
        (
            lambda d: d["ips_smi"]["benchmarks"]["sustained_13_weeks"].update(note="x"),
            r"sustained_13_weeks: unknown keys \['note'\]",
        ),
        (
            lambda d: d["ips_smi"]["benchmarks"]["sustained_13_weeks"].update(target="65%"),
            "target: must be a number or null",
        ),
        (lambda d: d["ips_smi"]["fidelity"].update(version=2), r"fidelity: unknown keys"),
        (
            lambda d: d["ips_smi"]["fidelity"]["modified_items"].update(first="x"),
            "'first' is not an item number",
        ),
        (lambda d: d["ips_smi"]["kpis"].append("job_starts"), "names a measure twice"),
        (lambda d: d["ips_smi"].update(job_retention="no"), "must be true or false"),
        (lambda d: d["ips_smi"].update(name="two\nlines"), "name: must be one line of text"),
        (lambda d: d.update({"IPS Smi": d["ips_smi"]}), "a programme's code is lower case"),
        (lambda d: d.pop("ips_smi"), "has no ips_smi"),
    ],
)
def test_a_mistake_in_the_file_is_refused(edit: Any, message: str) -> None:
    with pytest.raises(ProgrammeError, match=message):
        parse(changed(edit), "programmes.json")


def test_a_new_programme_is_only_data() -> None:
    def add(d: dict[str, Any]) -> None:
        d["ips_justice"] = copy.deepcopy(d["ips_primary_care"]) | {"name": "IPS in justice"}

    found = parse(changed(add), "programmes.json")
    assert found["ips_justice"].limits == programmes.rules("ips_primary_care").limits
