"""Several loads measured alternately, round after round: each round runs every load
once, so a slow spell of the machine hurts all of them alike, and ratios are taken per
round (bench/stats.py)."""

from dataclasses import dataclass, field

from bench.servers import Server
from bench.setup import Bench
from bench.wrk import Load, run_wrk


@dataclass
class Measured:
    """Per round: requests/s, and the server's CPU milliseconds per request."""

    rps: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)


def side_by_side(
    bench: Bench,
    loads: dict[str, tuple[Load, Server]],
    *,
    rounds: int,
    seconds: float,
    connections: int,
    warm_up_seconds: float = 2,
) -> dict[str, Measured]:
    for load, _server in loads.values():
        run_wrk(load, connections, warm_up_seconds, bench.directory)
    measured = {name: Measured() for name in loads}
    for round_number in range(rounds):
        names = list(loads)
        if round_number % 2:  # swap the order every other round: no side always goes first
            names.reverse()
        for name in names:
            load, server = loads[name]
            cpu_before = server.cpu_seconds()
            result = run_wrk(load, connections, seconds, bench.directory)
            cpu = server.cpu_seconds() - cpu_before
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors} failed requests under load")
            measured[name].rps.append(result.rps)
            measured[name].cpu_ms.append(cpu / max(result.requests, 1) * 1000)
    return measured
