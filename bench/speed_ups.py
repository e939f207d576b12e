"""What each speed-up of app/fast_paths.py buys on targets 1 and 2, side by side.

For every speed-up, a pair of servers runs without it (bench/apps.py `without:NAME`),
beside a pair with all of them: in each pair one serves GraphQL with tokens and the
REST twin, one serves GraphQL with authentication off. Every round runs every load.

A target's cost, per request in server CPU time: for target 1 the GraphQL events
request; for target 2 what authentication adds to it (with token minus auth off).
A speed-up earns its place when it saves at least 5% of either (issue 11).
"""

from dataclasses import dataclass, fields

from app.fast_paths import FastPaths
from bench.servers import Server
from bench.setup import EVENTS_QUERY, Bench, graphql_body
from bench.side_by_side import Measured, side_by_side
from bench.stats import median, ratios
from bench.wrk import Load

# lean_sockets saves memory per open subscription, not request time: target 12
# measures it (bench/live.py), with and without it.
MEASURED_ELSEWHERE = {"lean_sockets": "target 12 (memory per subscription), with and without it"}
SPEED_UPS = [field.name for field in fields(FastPaths) if field.name not in MEASURED_ELSEWHERE]
KEEP_AT = 0.05


@dataclass(frozen=True)
class Variant:
    graphql_cpu_ms: float
    rest_cpu_ms: float
    open_cpu_ms: float
    target_1: float  # GraphQL req/s over the REST twin's (median of rounds)
    # What authentication adds: the median of the rounds' with-token / auth-off CPU
    # ratios, less one, in ms of the auth-off request (a difference of two medians
    # would be mostly noise: the overhead is a few percent of the request).
    auth_cpu_ms: float


@dataclass(frozen=True)
class SpeedUpCost:
    name: str
    without: Variant
    target_1_saved: float  # share of the GraphQL request's CPU it saves
    target_2_saved: float  # share of authentication's CPU it saves

    @property
    def keep(self) -> bool:
        return max(self.target_1_saved, self.target_2_saved) >= KEEP_AT


def measure_speed_ups(
    bench: Bench, database_url: str, token: str, *, rounds: int, seconds: float, connections: int
) -> tuple[Variant, list[SpeedUpCost]]:
    names = ["all", *SPEED_UPS]
    loads: dict[str, tuple[Load, Server]] = {}
    for name in names:
        without = "" if name == "all" else f",without:{name}"
        signed = bench.start(f"{name}-signed", bench.env(database_url, app=f"rest-twin{without}"))
        anonymous = bench.start(f"{name}-open", bench.env(database_url, app=f"auth-off{without}"))
        body = (graphql_body(EVENTS_QUERY),)
        loads[f"{name}/graphql"] = (Load(f"{signed.url}/graphql", "POST", body, token), signed)
        loads[f"{name}/rest"] = (Load(f"{signed.url}/bench/events?first=20", token=token), signed)
        loads[f"{name}/open"] = (Load(f"{anonymous.url}/graphql", "POST", body), anonymous)
    try:
        measured = side_by_side(
            bench, loads, rounds=rounds, seconds=seconds, connections=connections
        )
    finally:
        for _load, server in loads.values():
            if server in bench.servers:
                bench.stop(server)
    variants = {name: _variant(measured, name) for name in names}
    base = variants["all"]
    costs = [
        SpeedUpCost(
            name,
            variants[name],
            _saved(measured["all/graphql"], measured[f"{name}/graphql"]),
            _saved_difference(base.auth_cpu_ms, variants[name].auth_cpu_ms),
        )
        for name in SPEED_UPS
    ]
    return base, costs


def _variant(measured: dict[str, Measured], name: str) -> Variant:
    graphql, rest, anonymous = (measured[f"{name}/{kind}"] for kind in ("graphql", "rest", "open"))
    open_cpu_ms = median(anonymous.cpu_ms)
    return Variant(
        graphql_cpu_ms=median(graphql.cpu_ms),
        rest_cpu_ms=median(rest.cpu_ms),
        open_cpu_ms=open_cpu_ms,
        target_1=median(ratios(graphql.rps, rest.rps)),
        auth_cpu_ms=(median(ratios(graphql.cpu_ms, anonymous.cpu_ms)) - 1) * open_cpu_ms,
    )


def _saved(with_it: Measured, without_it: Measured) -> float:
    """Median over rounds of the share of CPU per request the speed-up saves."""
    return 1 - median(ratios(with_it.cpu_ms, without_it.cpu_ms))


def _saved_difference(with_it: float, without_it: float) -> float:
    return 0.0 if without_it <= 0 else 1 - with_it / without_it


def report_lines(base: Variant, costs: list[SpeedUpCost]) -> list[str]:
    lines = [
        "| Speed-up | Target 1 without it | GraphQL CPU ms/request without it (with all: "
        f"{base.graphql_cpu_ms:.2f}) | Saves of target 1's cost | Auth CPU ms without it "
        f"(with all: {base.auth_cpu_ms:.2f}) | Saves of target 2's cost | Verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for cost in costs:
        verdict = "keep" if cost.keep else "below 5%: replace by the stock path"
        lines.append(
            f"| {cost.name} | {cost.without.target_1:.2f}x (all: {base.target_1:.2f}x) | "
            f"{cost.without.graphql_cpu_ms:.2f} | {cost.target_1_saved * 100:+.1f}% | "
            f"{cost.without.auth_cpu_ms:.2f} | {cost.target_2_saved * 100:+.1f}% | {verdict} |"
        )
    for name, where in MEASURED_ELSEWHERE.items():
        lines.append(f"| {name} | measured by {where} | | | | | see there |")
    return lines
