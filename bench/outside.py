"""Comparisons beside the numbered targets: the events query against a plain FastAPI
endpoint (bench/plain_app.py, the outside check of issue 11), and target 1's
comparison at more connections."""

from bench.servers import Server
from bench.setup import EVENTS_QUERY, Bench, fetch, graphql_body
from bench.side_by_side import side_by_side
from bench.stats import median, ratios
from bench.wrk import Load

OUTSIDE_AIM = 0.6
PLAIN_APP = "bench.plain_app"


def against_plain_fastapi(
    bench: Bench, database_url: str, token: str, *, rounds: int, seconds: float, connections: int
) -> list[str]:
    """The planner as `make run` serves it (the shipped app; the bench turns the
    request log off) against one joined query in a plain FastAPI app."""
    planner = bench.start("planner", bench.env(database_url, app=""))
    plain = bench.start("plain-fastapi", bench.env(database_url, app=""), module=PLAIN_APP)
    try:
        graphql = Load(f"{planner.url}/graphql", "POST", (graphql_body(EVENTS_QUERY),), token)
        rest = Load(f"{plain.url}/events?first=20", token=token)
        if fetch(planner, "/graphql", token, graphql.bodies[0]) != fetch(
            plain, "/events?first=20", token
        ):
            raise RuntimeError("the plain FastAPI app does not return what GraphQL returns")
        measured = side_by_side(
            bench,
            {"graphql": (graphql, planner), "plain": (rest, plain)},
            rounds=rounds,
            seconds=seconds,
            connections=connections,
        )
    finally:
        bench.stop(planner)
        bench.stop(plain)
    ratio = median(ratios(measured["graphql"].rps, measured["plain"].rps))
    verdict = "PASS" if ratio >= OUTSIDE_AIM else "FAIL"
    return [
        f"- Outside check, the events query against a plain FastAPI endpoint (python-jose, "
        f"one joined query through async SQLAlchemy and stock aiosqlite; bench/plain_app.py), "
        f"{connections} connections: **{ratio:.2f}x** "
        f"({median(measured['graphql'].rps):.1f} vs {median(measured['plain'].rps):.1f} "
        f"req/s; aim >= {OUTSIDE_AIM:.2f}x: {verdict}); per-round ratios: "
        + ", ".join(f"{r:.2f}" for r in ratios(measured["graphql"].rps, measured["plain"].rps))
    ]


def target_1_at(
    bench: Bench, server: Server, token: str, *, rounds: int, seconds: float, connections: int
) -> list[str]:
    """Target 1's comparison (GraphQL against the REST twin on one server) at another
    number of connections."""
    graphql = Load(f"{server.url}/graphql", "POST", (graphql_body(EVENTS_QUERY),), token)
    rest = Load(f"{server.url}/bench/events?first=20", token=token)
    measured = side_by_side(
        bench,
        {"graphql": (graphql, server), "rest": (rest, server)},
        rounds=rounds,
        seconds=seconds,
        connections=connections,
    )
    per_round = ratios(measured["graphql"].rps, measured["rest"].rps)
    ratio = median(per_round)
    verdict = "PASS" if ratio >= 0.6 else "FAIL"
    return [
        f"- Target 1 at {connections} connections: **{ratio:.2f}x** "
        f"({median(measured['graphql'].rps):.1f} vs {median(measured['rest'].rps):.1f} req/s; "
        f">= 0.60x: {verdict}); per-round ratios: " + ", ".join(f"{r:.2f}" for r in per_round)
    ]
