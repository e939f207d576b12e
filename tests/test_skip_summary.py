"""The grouped skip lines that `make test` prints (tests/skip_summary.py)."""

import pytest

from tests.skip_summary import skip_lines


def skipped(nodeid: str, reason: str) -> pytest.TestReport:
    location = (nodeid.split("::")[0], 1, nodeid)
    longrepr = (location[0], 1, f"Skipped: {reason}")
    return pytest.TestReport(nodeid, location, {}, "skipped", longrepr, "setup")


def test_one_line_per_reason_with_its_count_most_frequent_first() -> None:
    reports = [
        skipped("tests/a.py::one", "no chromium"),
        *(skipped(f"tests/b.py::t{n}", "no PostgreSQL") for n in range(12)),
        skipped("tests/c.py::two", "no chromium"),
    ]
    assert skip_lines(reports) == ["12 no PostgreSQL", " 2 no chromium"]


def test_no_skips_no_lines() -> None:
    assert skip_lines([]) == []
