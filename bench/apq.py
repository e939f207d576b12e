"""A persisted query by hash costs no more than the same query sent in full (issue 15).

One server; the bench's events query (20 events, as in target 1) sent three ways,
round after round, alternately: in full over POST, by hash over POST, by hash over
GET (what a CDN would cache). The parser and validation caches hit in every case;
the hash paths add a lookup in the worker's memory and save decoding the document.
The verdict compares the server's CPU time per request, the median of the rounds'
ratios, with a 5% allowance for measurement noise.

The lead calls `persisted_queries(bench, server, token)` from bench/__main__.py with
a running server (any app server of the bench; APQ is on by default) and a token.
"""

import hashlib
import json
from collections.abc import Mapping
from urllib.parse import urlencode

import httpx

from bench.results import TargetResult
from bench.servers import Server
from bench.setup import EVENTS_QUERY, Bench, fetch, graphql_body
from bench.stats import median, ratios
from bench.wrk import Load, run_wrk

ROUNDS = 15
SECONDS = 3
CONNECTIONS = 8
NOISE = 1.05  # "no more than", within what two identical runs differ by


def persisted_queries(
    bench: Bench,
    server: Server,
    token: str,
    *,
    number: int = 8,
    rounds: int = ROUNDS,
    seconds: int = SECONDS,
) -> TargetResult:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": _sha256(EVENTS_QUERY)}}
    full = graphql_body(EVENTS_QUERY)
    by_hash = json.dumps({"extensions": extensions})
    _register(server, token, extensions)
    get_path = "/graphql?" + urlencode({"extensions": json.dumps(extensions)})
    answer = fetch(server, "/graphql", token, full)
    if fetch(server, "/graphql", token, by_hash) != answer:
        raise RuntimeError("the query by hash (POST) does not answer as the full query")
    if fetch(server, get_path, token) != answer:
        raise RuntimeError("the query by hash (GET) does not answer as the full query")
    loads = {
        "full": Load(f"{server.url}/graphql", "POST", (full,), token),
        "hash": Load(f"{server.url}/graphql", "POST", (by_hash,), token),
        "get": Load(f"{server.url}{get_path}", "GET", (), token),
    }
    for load in loads.values():  # warm up every path
        run_wrk(load, CONNECTIONS, 2, bench.directory)
    cpu_ms: dict[str, list[float]] = {name: [] for name in loads}
    rps: dict[str, list[float]] = {name: [] for name in loads}
    order = list(loads)
    for round_number in range(rounds):
        for name in order[round_number % 3 :] + order[: round_number % 3]:
            before = server.cpu_seconds()
            result = run_wrk(loads[name], CONNECTIONS, seconds, bench.directory)
            cpu = server.cpu_seconds() - before
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors} failed requests under load")
            cpu_ms[name].append(cpu / max(result.requests, 1) * 1000)
            rps[name].append(result.rps)
    post_ratio = median(ratios(cpu_ms["hash"], cpu_ms["full"]))
    get_ratio = median(ratios(cpu_ms["get"], cpu_ms["full"]))
    cpu_median = {name: median(values) for name, values in cpu_ms.items()}
    throughput = {name: round(median(values), 1) for name, values in rps.items()}
    return TargetResult(
        number,
        "Persisted query by hash vs in full",
        f"by hash <= {NOISE:.2f}x the server CPU per request of the full query",
        f"POST by hash {post_ratio:.2f}x, GET by hash {get_ratio:.2f}x "
        f"({cpu_median['hash']:.2f} / {cpu_median['get']:.2f} vs {cpu_median['full']:.2f} ms CPU; "
        f"{throughput['hash']} / {throughput['get']} vs {throughput['full']} req/s)",
        post_ratio <= NOISE and get_ratio <= NOISE,
        [
            f"per-round CPU ratios, POST by hash: {_fmt(ratios(cpu_ms['hash'], cpu_ms['full']))}",
            f"per-round CPU ratios, GET by hash: {_fmt(ratios(cpu_ms['get'], cpu_ms['full']))}",
            "the three variants alternate within each round, their order rotating",
        ],
        {
            "in full": throughput["full"],
            "POST by hash": throughput["hash"],
            "GET by hash": throughput["get"],
        },
    )


def _register(server: Server, token: str, extensions: Mapping[str, object]) -> None:
    """The first request by hash is unknown; sent with the query, it is stored."""
    body = {"query": EVENTS_QUERY, "extensions": extensions}
    response = httpx.post(
        f"{server.url}/graphql",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    response.raise_for_status()
    if "errors" in response.json():
        raise RuntimeError(f"registering the query failed: {response.text}")


def _sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)
