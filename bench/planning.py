"""The benchmark targets of issue 12 (planning together).

- Target 8: an events page selecting the planning fields (hosts, attendeeCount,
  waitlistCount, viewerRsvp, viewerIsHost) costs at most 1.4x the plain events page
  (requests/s, side by side).
- Target 4 again, ordered STARTS_SOONEST: a page 150,000 deep against the first.
- Target 9: 200 GOING answers at once on a capacity-20 event finish in under 5 s on
  SQLite (exactly 20 GOING, 180 WAITLISTED at 1..180).
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import insert
from sqlmodel import col, select

from auth.tokens import TokenSettings, issue_access_token
from bench.results import TargetResult
from bench.servers import Server
from bench.setup import EVENTS_QUERY, Bench, fetch, graphql_body
from bench.side_by_side import side_by_side
from bench.stats import median, ratios
from bench.targets import first_and_deep_ms
from bench.wrk import Load
from db.engine import Database
from db.models import Event, User
from db.pagination import StartsKeyset, encode_cursor

PLANNING_QUERY = (
    "query { events(first: 20) { edges { node { id title tags creator { displayName } "
    "hosts { displayName } attendeeCount waitlistCount viewerRsvp { status } viewerIsHost "
    "} } } }"
)
SOONEST_QUERY = EVENTS_QUERY.replace("first: 20", "first: 20, orderBy: STARTS_SOONEST")
PAGE_COST_LIMIT = 1.4
ANSWERS, CAPACITY = 200, 20


def planning_page(
    bench: Bench, server: Server, token: str, *, rounds: int, seconds: float, connections: int
) -> TargetResult:
    plain = Load(f"{server.url}/graphql", "POST", (graphql_body(EVENTS_QUERY),), token)
    planning = Load(f"{server.url}/graphql", "POST", (graphql_body(PLANNING_QUERY),), token)
    body = fetch(server, "/graphql", token, planning.bodies[0])
    if not isinstance(body, dict) or "errors" in body:
        raise RuntimeError(f"the planning page failed: {body}")
    measured = side_by_side(
        bench,
        {"plain": (plain, server), "planning": (planning, server)},
        rounds=rounds,
        seconds=seconds,
        connections=connections,
    )
    per_round = ratios(measured["plain"].rps, measured["planning"].rps)
    cost = median(per_round)
    return TargetResult(
        8,
        "Planning page",
        f"<= {PAGE_COST_LIMIT}x the plain events page's time (requests/s, side by side)",
        f"{cost:.2f}x ({median(measured['planning'].rps):.1f} vs "
        f"{median(measured['plain'].rps):.1f} req/s)",
        cost <= PAGE_COST_LIMIT,
        ["per-round ratios: " + ", ".join(f"{r:.2f}" for r in per_round)],
        {
            "plain page": round(median(measured["plain"].rps), 1),
            "planning page": round(median(measured["planning"].rps), 1),
        },
    )


def soonest_deep_pagination(bench: Bench, server: Server, token: str, url: str) -> TargetResult:
    cursor = asyncio.run(_soonest_cursor_at(url, 150_000))
    deep_query = SOONEST_QUERY.replace("first: 20,", f'first: 20, after: "{cursor}",')
    first_page = Load(f"{server.url}/graphql", "POST", (graphql_body(SOONEST_QUERY),), token)
    deep_page = Load(f"{server.url}/graphql", "POST", (graphql_body(deep_query),), token)
    body = fetch(server, "/graphql", token, deep_page.bodies[0])
    if not isinstance(body, dict) or len(body["data"]["events"]["edges"]) != 20:
        raise RuntimeError(f"the deep STARTS_SOONEST page did not load: {body}")
    first_ms, deep_ms = first_and_deep_ms(bench, first_page, deep_page)
    ratio = median(ratios(deep_ms, first_ms))
    return TargetResult(
        4,
        "Deep pagination, STARTS_SOONEST",
        "page at 150,000 deep <= 1.5x the first page's time",
        f"{ratio:.2f}x ({median(deep_ms):.2f} vs {median(first_ms):.2f} ms)",
        ratio <= 1.5,
        ["keyset (startsAt, id) on index ix_event_starts_at_id"],
    )


async def _soonest_cursor_at(database_url: str, depth: int) -> str:
    database = Database(database_url)
    try:
        async with database.read() as session:
            statement = (
                select(Event.starts_at, Event.id)
                .order_by(col(Event.starts_at).asc(), col(Event.id).asc())
                .offset(depth - 1)
                .limit(1)
            )
            starts_at, ident = (await session.execute(statement)).one()
        return encode_cursor(StartsKeyset(starts_at, ident))
    finally:
        await database.dispose()


def concurrent_answers(server: Server, database_url: str, secret: str) -> TargetResult:
    seconds, going, waitlisted = asyncio.run(_answer_at_once(server, database_url, secret))
    exact = going == CAPACITY and waitlisted == list(range(1, ANSWERS - CAPACITY + 1))
    return TargetResult(
        9,
        "200 answers at once",
        f"{ANSWERS} GOING on a capacity-{CAPACITY} event: exact outcome, under 5 s on SQLite",
        f"{seconds:.2f} s; {going} GOING, {len(waitlisted)} WAITLISTED"
        + ("" if exact else " (positions not 1..180)"),
        exact and seconds < 5,
        ["real concurrent HTTP requests, one per person, against one uvicorn worker"],
    )


async def _answer_at_once(
    server: Server, database_url: str, secret: str
) -> tuple[float, int, list[int]]:
    tokens = TokenSettings(secret_key=secret)
    people = await new_people(database_url, ANSWERS + 1)
    now = datetime.now(UTC)
    headers = [
        {"Authorization": f"Bearer {issue_access_token(tokens, p.id, p.token_version, now).token}"}
        for p in people
    ]
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        created = await client.post(
            "/graphql",
            json={
                "query": f'mutation {{ createEvent(input: {{title: "Full", capacity: '
                f"{CAPACITY}}}) {{ id }} }}"
            },
            headers=headers[0],
        )
        event_id = created.json()["data"]["createEvent"]["id"]
        answer = {
            "query": "mutation($id: ID!) { rsvp(eventId: $id, response: GOING) "
            "{ status waitlistPosition } }",
            "variables": {"id": event_id},
        }
        started = time.monotonic()
        replies = await asyncio.gather(
            *(client.post("/graphql", json=answer, headers=h) for h in headers[1:])
        )
        seconds = time.monotonic() - started
    answers = [reply.json()["data"]["rsvp"] for reply in replies]
    going = sum(1 for a in answers if a["status"] == "GOING")
    positions = sorted(a["waitlistPosition"] for a in answers if a["status"] == "WAITLISTED")
    return seconds, going, positions


async def new_people(database_url: str, count: int) -> list[User]:
    """`count` new users written straight to the database (no bcrypt: they never sign
    in; the bench mints their tokens with the servers' key)."""
    database = Database(database_url)
    now = datetime.now(UTC) - timedelta(seconds=1)
    rows = [
        {
            "id": uuid.uuid4(),
            "email": f"answer{i}-{uuid.uuid4().hex[:8]}@bench.example",
            "password_hash": "!",
            "created_at": now,
        }
        for i in range(count)
    ]
    try:
        async with database.write() as session:
            await session.execute(insert(User), rows)
        async with database.read() as session:
            ids = [row["id"] for row in rows]
            found = (await session.execute(select(User).where(col(User.id).in_(ids)))).scalars()
            return list(found)
    finally:
        await database.dispose()
