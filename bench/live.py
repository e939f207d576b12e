"""The benchmark targets of issue 13 (live updates), over real graphql-transport-ws
sockets (the `websockets` client) against real servers.

- Target 12: 1,000 open subscriptions on one worker cost at most 60 KB of server
  memory each (RSS growth / sockets, after 50 sockets warmed the code paths).
- Target 13: one change to an event watched by 1,000 subscribers reaches all of them
  within 1 s (p99) on one instance (SQLite), and within 1.5 s from one instance to
  subscribers on another (PostgreSQL); with the server's CPU time per delivery.
- Target 14: while 100 subscribers receive 5 changes a second, the events query keeps
  at least 60% of its idle requests/s on the same worker (side by side, per round).

Latencies are measured in the bench process from just before the mutation is sent to
each `next` message read, so they include the mutation itself and the bench's own
reading of 1,000 sockets on the same two cores: an upper bound of what a client sees.
"""

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import websockets

from auth.tokens import TokenSettings, issue_access_token
from bench.planning import new_people
from bench.postgres import bench_database
from bench.results import TargetResult
from bench.seed import seed
from bench.servers import Server
from bench.setup import BCRYPT_ROUNDS, EVENTS_QUERY, Bench, graphql_body
from bench.stats import median, ratios
from bench.wrk import Load, run_wrk

SUBSCRIBE = "subscription($id: ID!) { eventChanged(id: $id) { kind eventId at } }"
UPDATE = (
    "mutation($id: ID!, $title: String!) { updateEvent(id: $id, input: {title: $title}) { id } }"
)
CREATE = 'mutation { createEvent(input: {title: "Watched"}) { id } }'
SOCKETS, WARM_SOCKETS, LOAD_SUBSCRIBERS = 1_000, 50, 100
MEMORY_KB_LIMIT, LOCAL_P99_S, REMOTE_P99_S, KEEPS_AT_LEAST = 60.0, 1.0, 1.5, 0.60
# The bench opens many sockets as few people: the per-user limit is not what it measures.
LIVE_ENV = {"MAX_CONNECTIONS_PER_USER": "100000"}


@dataclass
class Subscriber:
    socket: websockets.ClientConnection
    arrivals: list[float] = field(default_factory=list)
    reader: "asyncio.Task[None] | None" = None


async def _read(subscriber: Subscriber) -> None:
    async for message in subscriber.socket:
        data = json.loads(message)
        if data["type"] == "next":
            subscriber.arrivals.append(time.monotonic())
        elif data["type"] == "ping":
            await subscriber.socket.send('{"type":"pong"}')


async def _subscribe(ws_url: str, token: str, event_id: str) -> Subscriber:
    socket = await websockets.connect(
        ws_url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")], open_timeout=60
    )
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    await socket.send(json.dumps(init))
    ack = json.loads(await asyncio.wait_for(socket.recv(), 30))
    if ack.get("type") != "connection_ack":
        raise RuntimeError(f"no connection_ack: {ack}")
    payload = {"query": SUBSCRIBE, "variables": {"id": event_id}}
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    subscriber = Subscriber(socket)
    subscriber.reader = asyncio.create_task(_read(subscriber))
    return subscriber


async def _subscribe_many(
    ws_url: str, tokens: Sequence[str], event_id: str, count: int
) -> list[Subscriber]:
    found: list[Subscriber] = []
    for start in range(0, count, 100):  # in batches: no thundering herd on accept()
        batch = [tokens[i % len(tokens)] for i in range(start, min(count, start + 100))]
        found += await asyncio.gather(*(_subscribe(ws_url, t, event_id) for t in batch))
    return found


async def _close(subscribers: Sequence[Subscriber]) -> None:
    for subscriber in subscribers:
        if subscriber.reader is not None:
            subscriber.reader.cancel()
    await asyncio.gather(*(s.socket.close() for s in subscribers), return_exceptions=True)


@dataclass(frozen=True)
class World:
    host_token: str
    tokens: list[str]
    event_id: str


async def _world(server: Server, database_url: str, secret: str, people: int) -> World:
    settings = TokenSettings(secret_key=secret)
    now = datetime.now(UTC)
    users = await new_people(database_url, people + 1)
    tokens = [issue_access_token(settings, u.id, u.token_version, now).token for u in users]
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        headers = {"Authorization": f"Bearer {tokens[0]}"}
        created = (await client.post("/graphql", json={"query": CREATE}, headers=headers)).json()
    return World(tokens[0], tokens[1:], created["data"]["createEvent"]["id"])


async def _one_change(
    writer: Server, world: World, subscribers: Sequence[Subscriber], title: str
) -> list[float]:
    """Seconds from just before the mutation to each subscriber's next delivery."""
    seen = [len(s.arrivals) for s in subscribers]
    body = {"query": UPDATE, "variables": {"id": world.event_id, "title": title}}
    headers = {"Authorization": f"Bearer {world.host_token}"}
    async with httpx.AsyncClient(base_url=writer.url, timeout=60) as client:
        started = time.monotonic()
        reply = (await client.post("/graphql", json=body, headers=headers)).json()
    if "errors" in reply:
        raise RuntimeError(f"updateEvent failed: {reply['errors']}")
    deadline = started + 15
    while time.monotonic() < deadline:
        if all(len(s.arrivals) > n for s, n in zip(subscribers, seen, strict=True)):
            break
        await asyncio.sleep(0.01)
    missing = sum(1 for s, n in zip(subscribers, seen, strict=True) if len(s.arrivals) <= n)
    if missing:
        raise RuntimeError(f"{missing} of {len(subscribers)} subscribers got nothing in 15 s")
    return [s.arrivals[n] - started for s, n in zip(subscribers, seen, strict=True)]


def _p99(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def _open_measured(server: Server, world: World) -> tuple[float, list[Subscriber]]:
    """KB of RSS per socket from WARM_SOCKETS to WARM_SOCKETS + SOCKETS open
    subscriptions; and all of them, open."""
    ws_url = server.url.replace("http://", "ws://") + "/graphql"
    warm = await _subscribe_many(ws_url, world.tokens, world.event_id, WARM_SOCKETS)
    await _one_change(server, world, warm, "warm")
    await asyncio.sleep(1)
    before = max(server.rss_mb())
    many = await _subscribe_many(ws_url, world.tokens, world.event_id, SOCKETS)
    await asyncio.sleep(2)
    return (max(server.rss_mb()) - before) * 1024 / SOCKETS, [*warm, *many]


async def _memory_on_the_stock_path(bench: Bench, database_url: str, secret: str) -> float:
    """Target 12 without the lean_sockets fast path (graph/socket_entry.py)."""
    server = bench.start(
        "live-stock", bench.env(database_url, "rest-twin,without:lean_sockets", **LIVE_ENV)
    )
    try:
        world = await _world(server, database_url, secret, people=200)
        per_socket_kb, everyone = await _open_measured(server, world)
        await _close(everyone)
        return per_socket_kb
    finally:
        bench.stop(server)


async def _memory_and_fan_out(
    bench: Bench, server: Server, database_url: str, rounds: int
) -> list[TargetResult]:
    world = await _world(server, database_url, bench.secret, people=200)
    per_socket_kb, everyone = await _open_measured(server, world)
    p99s: list[float] = []
    cpu_per_delivery_ms: list[float] = []
    try:
        for number in range(rounds):
            cpu = server.cpu_seconds()
            latencies = await _one_change(server, world, everyone, f"change {number}")
            cpu_per_delivery_ms.append((server.cpu_seconds() - cpu) * 1000 / len(everyone))
            p99s.append(_p99(latencies))
            await asyncio.sleep(0.5)
    finally:
        await _close(everyone)
    p99 = median(p99s)
    stock_kb = await _memory_on_the_stock_path(bench, database_url, bench.secret)
    return [
        TargetResult(
            12,
            "Memory per subscription",
            f"<= {MEMORY_KB_LIMIT:.0f} KB of server RSS per open subscription",
            f"{per_socket_kb:.1f} KB per socket ({SOCKETS:,} sockets, one worker)",
            per_socket_kb <= MEMORY_KB_LIMIT,
            [
                f"RSS growth from {WARM_SOCKETS} to {WARM_SOCKETS + SOCKETS:,} open sockets",
                f"without the lean_sockets fast path (graph/socket_entry.py): "
                f"{stock_kb:.1f} KB per socket",
            ],
        ),
        TargetResult(
            13,
            "One change, 1,000 subscribers, one instance",
            f"every delivery within {LOCAL_P99_S:.1f} s (p99)",
            f"p99 {p99 * 1000:.0f} ms; server CPU {median(cpu_per_delivery_ms):.3f} ms "
            "per delivery",
            p99 <= LOCAL_P99_S,
            ["per-round p99 (ms): " + ", ".join(f"{p * 1000:.0f}" for p in p99s)],
        ),
    ]


async def _cross_instance(
    writer: Server, reader: Server, database_url: str, secret: str, rounds: int
) -> TargetResult:
    world = await _world(writer, database_url, secret, people=200)
    ws_url = reader.url.replace("http://", "ws://") + "/graphql"
    subscribers = await _subscribe_many(ws_url, world.tokens, world.event_id, SOCKETS)
    await asyncio.sleep(1)
    p99s: list[float] = []
    try:
        for number in range(rounds):
            p99s.append(_p99(await _one_change(writer, world, subscribers, f"remote {number}")))
            await asyncio.sleep(0.5)
    finally:
        await _close(subscribers)
    p99 = median(p99s)
    return TargetResult(
        13,
        "One change, 1,000 subscribers on another instance (PostgreSQL)",
        f"every delivery within {REMOTE_P99_S:.1f} s (p99)",
        f"p99 {p99 * 1000:.0f} ms",
        p99 <= REMOTE_P99_S,
        ["per-round p99 (ms): " + ", ".join(f"{p * 1000:.0f}" for p in p99s)],
    )


async def _changes_forever(server: Server, world: World, per_second: float) -> None:
    body = {"query": UPDATE, "variables": {"id": world.event_id, "title": ""}}
    headers = {"Authorization": f"Bearer {world.host_token}"}
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        number = 0
        while True:
            number += 1
            body["variables"] = {"id": world.event_id, "title": f"busy {number}"}
            await client.post("/graphql", json=body, headers=headers)
            await asyncio.sleep(1 / per_second)


async def _query_under_deliveries(
    bench: Bench, server: Server, database_url: str, token: str, rounds: int, seconds: float
) -> TargetResult:
    world = await _world(server, database_url, bench.secret, people=LOAD_SUBSCRIBERS)
    ws_url = server.url.replace("http://", "ws://") + "/graphql"
    subscribers = await _subscribe_many(ws_url, world.tokens, world.event_id, LOAD_SUBSCRIBERS)
    load = Load(f"{server.url}/graphql", "POST", (graphql_body(EVENTS_QUERY),), token)
    idle: list[float] = []
    busy: list[float] = []
    delivered = 0
    try:
        for _ in range(rounds):
            idle.append((await asyncio.to_thread(run_wrk, load, 8, seconds, bench.directory)).rps)
            before = sum(len(s.arrivals) for s in subscribers)
            changes = asyncio.create_task(_changes_forever(server, world, per_second=5))
            await asyncio.sleep(1)
            result = await asyncio.to_thread(run_wrk, load, 8, seconds, bench.directory)
            changes.cancel()
            delivered += sum(len(s.arrivals) for s in subscribers) - before
            busy.append(result.rps)
            await asyncio.sleep(1)
    finally:
        await _close(subscribers)
    kept = median(ratios(busy, idle))
    return TargetResult(
        14,
        "Events query during deliveries",
        f">= {KEEPS_AT_LEAST:.0%} of idle requests/s while {LOAD_SUBSCRIBERS} subscribers "
        "receive 5 changes a second",
        f"{kept:.0%} ({median(busy):.1f} vs {median(idle):.1f} req/s)",
        kept >= KEEPS_AT_LEAST,
        [
            "per-round ratios: " + ", ".join(f"{r:.2f}" for r in ratios(busy, idle)),
            f"{delivered:,} deliveries while measured",
        ],
    )


def live_targets(
    bench: Bench, database_url: str, token: str, *, rounds: int, seconds: float
) -> list[TargetResult]:
    """Targets 12, 13 (one instance) and 14 on SQLite; 13 across instances on PostgreSQL."""
    server = bench.start("live", bench.env(database_url, **LIVE_ENV))
    try:
        found = asyncio.run(_memory_and_fan_out(bench, server, database_url, rounds))
        found.append(
            asyncio.run(
                _query_under_deliveries(bench, server, database_url, token, rounds, seconds)
            )
        )
    finally:
        bench.stop(server)
    found.append(cross_instance(bench, rounds))
    return found


def cross_instance(bench: Bench, rounds: int) -> TargetResult:
    with bench_database() as url:
        asyncio.run(seed(url, users=5, events=50, bcrypt_rounds=BCRYPT_ROUNDS))
        writer = bench.start("live-writer", bench.env(url, **LIVE_ENV))
        reader = bench.start("live-reader", bench.env(url, **LIVE_ENV))
        try:
            return asyncio.run(_cross_instance(writer, reader, url, bench.secret, rounds))
        finally:
            bench.stop(writer)
            bench.stop(reader)
