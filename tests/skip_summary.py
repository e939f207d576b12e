"""`make test`'s skips as one line per reason with a count.

pytest's `-rs` prints a line per test location, which on a machine without
PostgreSQL or Chromium is hundreds of lines that hide the result. Failures and
errors keep pytest's own short summary (`-rfE` in pyproject.toml), and pytest's
closing line ("N passed, M skipped in ...") stays the last line: CI reads it.
"""

from collections import Counter
from collections.abc import Sequence

import pytest

SKIP_PREFIX = "Skipped: "


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The reason a skip was given with; longrepr is (path, line, reason) for skips."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix(SKIP_PREFIX)
    return str(longrepr)


def skip_lines(reports: Sequence[pytest.TestReport | pytest.CollectReport]) -> list[str]:
    """'<count> <reason>' per reason, most frequent first."""
    counts = Counter(skip_reason(report) for report in reports)
    width = len(str(max(counts.values(), default=0)))
    return [f"{count:>{width}} {reason}" for reason, count in counts.most_common()]


def write_skip_summary(terminal: pytest.TerminalReporter) -> None:
    lines = skip_lines(terminal.stats.get("skipped", []))
    if not lines:
        return
    terminal.write_sep("=", "skipped, by reason")
    for line in lines:
        terminal.write_line(line)
