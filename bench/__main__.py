"""`python -m bench`: run every target, print PASS/FAIL, write docs/BENCHMARKS.md."""

import argparse
import asyncio
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench import outside, report, targets
from bench.apq import persisted_queries
from bench.live import live_targets
from bench.password_reset import RESET_SERVER_ENV, reset_requests_during_sign_in_storm
from bench.planning import concurrent_answers, planning_page, soonest_deep_pagination
from bench.postgres import bench_database
from bench.results import TargetResult
from bench.seed import PASSWORD, seed
from bench.setup import BCRYPT_ROUNDS, Bench, sign_in
from bench.speed_ups import measure_speed_ups, report_lines
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
SIDE_ROUNDS = 9  # the comparisons beside the targets
SPEED_UP_ROUNDS = 7  # 15 loads a round


def _beside(title: str, measure: Callable[[], list[str]]) -> list[str]:
    print(f"-- {title} ...", flush=True)
    try:
        lines = measure()
    except Exception as error:  # reported, as a target that cannot run is
        lines = [f"- {title}: could not run: {error}"]
    for line in lines:
        print(line, flush=True)
    return lines


def _speed_ups(bench: Bench, url: str, token: str, rounds: int) -> list[str]:
    try:
        base, costs = measure_speed_ups(
            bench,
            url,
            token,
            rounds=rounds,
            seconds=targets.SECONDS,
            connections=targets.CONNECTIONS,
        )
    except Exception as error:
        lines = [f"could not run: {error}"]
    else:
        lines = report_lines(base, costs)
    for line in lines:
        print(line, flush=True)
    return lines


def _only(which: str, rounds: int) -> None:
    """One comparison on a small seeded database, printed."""
    require_wrk()
    bench = Bench()
    try:
        url = f"sqlite:///{bench.directory / 'bench.db'}"
        seeded = asyncio.run(seed(url, users=50, events=2_000, bcrypt_rounds=BCRYPT_ROUNDS))
        probe = bench.start("sign-in", bench.env(url))
        token = sign_in(probe, seeded.viewer_email, PASSWORD)
        bench.stop(probe)
        if which == "speed-ups":
            _speed_ups(bench, url, token, rounds)
            return
        side = {"rounds": rounds, "seconds": targets.SECONDS}
        if which == "live":
            for found in live_targets(bench, url, token, rounds=rounds, seconds=targets.SECONDS):
                print(f"{found.verdict}  {found.number}. {found.title}: {found.measured}")
                print("\n".join(found.details))
            return
        if which == "planning":
            server = bench.start("planning", bench.env(url))
            found = planning_page(bench, server, token, connections=targets.CONNECTIONS, **side)
            print(f"{found.verdict}  {found.number}. {found.title}: {found.measured}")
            print("\n".join(found.details))
            return
        _beside(
            "outside check",
            lambda: outside.against_plain_fastapi(bench, url, token, connections=8, **side),
        )
    finally:
        bench.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--memory-requests", type=int, nargs=2, default=(10_000, 100_000), metavar=("EARLY", "LATE")
    )
    parser.add_argument("--memory-budget", type=float, default=240.0, metavar="SECONDS")
    parser.add_argument("--quick", action="store_true", help="short runs, to try the harness")
    parser.add_argument(
        "--only",
        choices=["speed-ups", "outside", "planning", "live"],
        help="print one comparison beside the targets; docs/BENCHMARKS.md is left alone",
    )
    args = parser.parse_args()
    if args.quick:
        targets.ROUNDS, targets.SECONDS = 2, 2
    if args.only:
        _only(args.only, rounds=2 if args.quick else SPEED_UP_ROUNDS)
        return
    require_wrk()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine_text = report.machine()
    clock = time.monotonic()
    bench = Bench()
    results: list[TargetResult] = []
    notes: list[str] = []
    beside: list[str] = []
    speed_up_lines: list[str] = []
    _side = {"rounds": SIDE_ROUNDS, "seconds": targets.SECONDS}

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
        token_twin = bench.start("auth-on-graphql-only", bench.env(url, app=""))
        auth_off = bench.start("auth-off", bench.env(url, app="auth-off"))
        token = sign_in(auth_on, seeded.viewer_email, PASSWORD)
        attempt(
            1,
            "GraphQL and authentication overhead",
            lambda: list(graphql_overhead(bench, auth_on, token_twin, auth_off, token)),
            also=2,
        )
        bench.stop(token_twin)
        bench.stop(auth_off)
        beside += _beside(
            "target 1 at 16 connections",
            lambda: outside.target_1_at(bench, auth_on, token, connections=16, **_side),
        )
        beside += _beside(
            "outside check",
            lambda: outside.against_plain_fastapi(bench, url, token, connections=8, **_side),
        )
        attempt(3, "No N+1", lambda: [statement_counts(url, bench.secret, seeded.viewer_email)])
        attempt(4, "Deep pagination", lambda: [deep_pagination(bench, auth_on, token, url)])
        attempt(
            4,
            "Deep pagination, STARTS_SOONEST",
            lambda: [soonest_deep_pagination(bench, auth_on, token, url)],
        )
        attempt(
            8,
            "Planning page",
            lambda: [
                planning_page(bench, auth_on, token, connections=targets.CONNECTIONS, **_side)
            ],
        )
        attempt(
            5,
            "Sign-ins do not starve",
            lambda: [sign_ins_do_not_starve(bench, auth_on, token, seeded)],
        )
        attempt(
            10,
            "Persisted queries",
            lambda: [persisted_queries(bench, auth_on, token, number=10, rounds=SIDE_ROUNDS)],
        )
        attempt(9, "200 answers at once", lambda: [concurrent_answers(auth_on, url, bench.secret)])
        bench.stop(auth_on)
        reset = bench.start("password-reset", bench.env(url, **RESET_SERVER_ENV))
        attempt(
            11,
            "Password reset requests under a sign-in storm",
            lambda: [reset_requests_during_sign_in_storm(bench, reset, seeded)],
        )
        bench.stop(reset)
        print("-- targets 12-14: live updates ...", flush=True)
        attempt(
            12,
            "Live updates",
            lambda: live_targets(bench, url, token, rounds=3, seconds=targets.SECONDS),
        )
        fresh = bench.start("memory", bench.env(url), workers=2)
        checkpoints = (args.memory_requests[0], args.memory_requests[1])
        budget = args.memory_budget
        attempt(6, "Memory", lambda: [memory(bench, fresh, token, checkpoints, budget)])
        bench.stop(fresh)
        attempt(7, "Scaling with workers", lambda: _scaling(bench))
        print("-- what each speed-up buys ...", flush=True)
        speed_up_lines = _speed_ups(bench, url, token, SPEED_UP_ROUNDS)
    finally:
        bench.close()
    results.sort(key=lambda r: r.number)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    notes.append(f"Load average at the end: {load} (other work on the machine shares the 2 cores)")
    notes.extend(report.KNOWN)
    sections = {
        "Beside the targets": beside,
        "What each speed-up buys (app/fast_paths.py)": speed_up_lines,
    }
    path = report.write(results, started, time.monotonic() - clock, machine_text, notes, sections)
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
