"""docs/BENCHMARKS.md (a table and the machine it came from) and a PNG of the numbers."""

import os
import platform
import sys
from pathlib import Path

from bench.results import TargetResult

DOCS = Path(__file__).resolve().parent.parent / "docs"

# What profiling showed, kept next to the numbers it explains.
KNOWN = [
    "Profiles (py-spy on the servers, cProfile in process, callgrind instruction counts) "
    "of the events query on SQLite. What was cut: aiosqlite hand-offs (db/sqlite_driver.py: "
    "one thread call per query, 5 before), connection churn (the pool keeps what a burst "
    "opened), the ORM on the per-request user reads (UserRecord via Core, statements built "
    "once), cursors nobody asked for, the cyclic GC (~0.7 ms a request at Python's default "
    "threshold; create_served_app freezes the startup heap), graphql-core's per-field "
    "machinery for plain fields (graph/execution.py: 17.4M -> 14.0M instructions per "
    "request, the REST twin takes 7.8M), the creator resolver (a plain attribute now), and "
    "for target 2 the thread hand-off of the per-request user read (on the event loop on "
    "SQLite; every hand-off costs ~20 thread switches under load here). Parse and "
    "validation hit their caches.",
    "Target 2 is judged on server CPU time per request (the server's own work), as the "
    "median of per-round ratios measured side by side, on two servers that serve only "
    "this query (an A/A run through the server that also serves the REST twin showed "
    "+4.9% for two identical servers); requests/s on a machine shared "
    "with other work swing by +-30% between rounds and are shown too. The machine's speed "
    "drifts by ~15% within minutes; ratios measured side by side move much less.",
    "Run-to-run spread (issue 11): on a quiet machine (2026-12-02) target 1's per-round "
    "ratios lay within +-0.05 of their median at 8 connections and +-0.02 at 16; a change"
    " that moves a median by less than that is not a measured change. Target 1 before the"
    " restructuring: 0.65x (2026-11-24, a loaded machine); after: 0.72x at 8 connections,"
    " 0.70x at 16.",
    "The outside check (plain FastAPI, one joined query, no visibility rule beyond "
    "public-and-published, no user row read, no middleware) stays well below its 0.6x "
    "aim: the planner's request reads the user row (revocation, deletion), applies the "
    "full visibility predicate, loads ORM Event rows, and runs its middleware (request id"
    " and log, CORS, request guard), which the REST twin shares and the plain app does "
    "not. Core rows instead of ORM entities for the page showed no gain beyond noise in "
    "process (2026-12-02); the visibility expression is rebuilt per request (~0.3 ms "
    "under cProfile) and is the next place to look.",
]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {sys.version.split()[0]}, "
        f"{platform.system()} {platform.release()}; load average at start: {load}"
    )


def write(
    results: list[TargetResult],
    started: str,
    seconds: float,
    machine_text: str,
    notes: list[str],
    sections: dict[str, list[str]] | None = None,
) -> Path:
    DOCS.mkdir(exist_ok=True)
    plot = _plot(results)
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/): real uvicorn servers (the app as `main.py serve`",
        "runs it, composed by bench/apps.py; uvloop, httptools, no access log) on 127.0.0.1,",
        "seeded SQLite (and PostgreSQL for target 7), driven by `wrk` with one thread.",
        "Ratios come from variants measured alternately in the same run; each verdict uses",
        "the median of the per-round ratios.",
        "",
        f"- Run: {started}, {seconds / 60:.1f} minutes",
        f"- Machine: {machine_text}",
        "",
        "| # | Target | Goal | Measured | Result |",
        "|---|--------|------|----------|--------|",
    ]
    for r in results:
        lines.append(f"| {r.number} | {r.title} | {r.goal} | {r.measured} | **{r.verdict}** |")
    lines += ["", "## Details", ""]
    for r in results:
        lines += [f"- Target {r.number} ({r.title}): " + "; ".join(r.details or ["-"])]
    lines += [f"- {note}" for note in notes]
    for title, section in (sections or {}).items():
        lines += ["", f"## {title}", "", *(section or ["(not measured in this run)"])]
    if plot is not None:
        lines += ["", f"![benchmark numbers]({plot.name})"]
    path = DOCS / "BENCHMARKS.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _plot(results: list[TargetResult]) -> Path | None:
    charted = [r for r in results if r.series]
    if not charted:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(charted), figsize=(3.2 * len(charted), 3.4))
    for axis, result in zip(figure.axes if len(charted) > 1 else [axes], charted, strict=True):
        names, values = list(result.series), list(result.series.values())
        axis.bar(names, values, color=["#4c72b0", "#dd8452"][: len(values)])
        axis.set_title(f"{result.number}. {result.title}\n{result.verdict}", fontsize=9)
        axis.tick_params(axis="x", labelsize=7, rotation=15)
        axis.tick_params(axis="y", labelsize=7)
    figure.tight_layout()
    path = DOCS / "benchmarks.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
