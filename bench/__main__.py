"""`python -m bench`: run every target, print PASS/FAIL, write docs/BENCHMARKS.md."""

import argparse
import asyncio
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench import report, targets
from bench.postgres import bench_database
from bench.results import TargetResult
from bench.seed import PASSWORD, seed
from bench.setup import BCRYPT_ROUNDS, Bench, sign_in
from bench.targets import (
    deep_pagination,
    graphql_overhead,
    memory,
    sign_ins_do_not_starve,
    statement_counts,
    worker_scaling,
)
from bench.wrk import require_wrk

DEEP_EVENTS = 200_000


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--memory-requests", type=int, nargs=2, default=(10_000, 100_000), metavar=("EARLY", "LATE")
    )
    parser.add_argument("--memory-budget", type=float, default=240.0, metavar="SECONDS")
    parser.add_argument("--quick", action="store_true", help="short runs, to try the harness")
    args = parser.parse_args()
    if args.quick:
        targets.ROUNDS, targets.SECONDS = 2, 2
    require_wrk()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine_text = report.machine()
    clock = time.monotonic()
    bench = Bench()
    results: list[TargetResult] = []
    notes: list[str] = []

    def attempt(
        number: int, title: str, measure: Callable[[], list[TargetResult]], also: int = 0
    ) -> None:
        """Runs one measurement (`also`: a second target number it decides)."""
        print(f"-- target {number}: {title} ...", flush=True)
        try:
            found = measure()
        except Exception as error:  # a target that cannot run is a FAIL, with the reason
            found = [
                TargetResult(n, title, "-", f"could not run: {error}", False)
                for n in (number, also)
                if n
            ]
        for result in found:
            print(
                f"{result.verdict}  {result.number}. {result.title}: {result.measured}", flush=True
            )
        results.extend(found)

    try:
        url = f"sqlite:///{bench.directory / 'bench.db'}"
        print(f"seeding {DEEP_EVENTS:,} events ...", flush=True)
        seeded = asyncio.run(seed(url, users=50, events=DEEP_EVENTS, bcrypt_rounds=BCRYPT_ROUNDS))
        auth_on = bench.start("auth-on", bench.env(url))
        token_twin = bench.start("auth-on-graphql-only", bench.env(url))
        auth_off = bench.start("auth-off", bench.env(url, BENCH_AUTH_OFF="true"))
        token = sign_in(auth_on, seeded.viewer_email, PASSWORD)
        attempt(
            1,
            "GraphQL and authentication overhead",
            lambda: list(graphql_overhead(bench, auth_on, token_twin, auth_off, token)),
            also=2,
        )
        bench.stop(token_twin)
        bench.stop(auth_off)
        attempt(3, "No N+1", lambda: [statement_counts(url, bench.secret, seeded.viewer_email)])
        attempt(4, "Deep pagination", lambda: [deep_pagination(bench, auth_on, token, url)])
        attempt(
            5,
            "Sign-ins do not starve",
            lambda: [sign_ins_do_not_starve(bench, auth_on, token, seeded)],
        )
        bench.stop(auth_on)
        fresh = bench.start("memory", bench.env(url), workers=2)
        checkpoints = (args.memory_requests[0], args.memory_requests[1])
        budget = args.memory_budget
        attempt(6, "Memory", lambda: [memory(bench, fresh, token, checkpoints, budget)])
        bench.stop(fresh)
        attempt(7, "Scaling with workers", lambda: _scaling(bench))
    finally:
        bench.close()
    results.sort(key=lambda r: r.number)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    notes.append(f"Load average at the end: {load} (other work on the machine shares the 2 cores)")
    notes.extend(report.KNOWN)
    path = report.write(results, started, time.monotonic() - clock, machine_text, notes)
    print(f"\nwrote {path}")
    for result in results:
        print(f"{result.verdict}  target {result.number}: {result.title}")


def _scaling(bench: Bench) -> list[TargetResult]:
    with bench_database() as url:
        seeded = asyncio.run(seed(url, users=50, events=2_000, bcrypt_rounds=BCRYPT_ROUNDS))
        one = bench.start("pg-1-worker", bench.env(url))
        two = bench.start("pg-2-workers", bench.env(url), workers=2)
        try:
            token = sign_in(one, seeded.viewer_email, PASSWORD)
            return [worker_scaling(bench, one, two, token)]
        finally:
            bench.stop(one)
            bench.stop(two)


if __name__ == "__main__":
    main()
