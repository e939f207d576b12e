"""Answers racing over real HTTP connections to a uvicorn process, on SQLite and on
PostgreSQL: 200 people answer GOING at once on an event with 20 places, then 10 of
those GOING cancel at once. The event row's lock serialises them (db/rsvps.py)."""

import asyncio
from typing import Any

import httpx

from tests.client import Account, GraphQLClient
from tests.live.conftest import REQUEST_TIMEOUT
from tests.live.test_concurrency import outcome
from tests.planning.helpers import ATTENDEES, CANCEL, CREATE, GET, RSVP
from tests.servers import LiveServer

PEOPLE = 200
CAPACITY = 20
LEAVING = 10


async def _answers(api: GraphQLClient, host: Account, event_id: str, status: str) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        body = await api.post(
            ATTENDEES,
            {"id": event_id, "status": status, "first": 100, "after": after},
            token=host.token,
        )
        assert "errors" not in body, body
        page = body["data"]["event"]["attendees"]
        ids += [edge["node"]["user"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


async def _positions(api: GraphQLClient, people: list[Account], event_id: str) -> dict[str, Any]:
    """Each person's own answer as they see it (read in batches: checking, not racing)."""
    found: dict[str, Any] = {}
    for start in range(0, len(people), 20):
        batch = people[start : start + 20]
        bodies = await asyncio.gather(
            *(api.post(GET, {"id": event_id}, token=person.token) for person in batch)
        )
        for person, body in zip(batch, bodies, strict=True):
            found[person.user_id] = body["data"]["event"]["viewerRsvp"]
    return found


async def _at_once(
    api: GraphQLClient, query: str, event_id: str, people: list[Account], **variables: Any
) -> list[dict[str, Any]]:
    return list(
        await asyncio.gather(
            *(
                api.post(query, {"eventId": event_id, **variables}, token=person.token)
                for person in people
            )
        )
    )


async def test_two_hundred_going_at_once_on_twenty_places(server: LiveServer) -> None:
    # Every request on a new connection: a kept-alive one idle through a burst can be
    # closed by the server (its keep-alive timeout) just as the client reuses it.
    limits = httpx.Limits(max_connections=250, max_keepalive_connections=0)
    async with httpx.AsyncClient(
        base_url=server.url, timeout=REQUEST_TIMEOUT, limits=limits
    ) as http:
        await _race(GraphQLClient(http))


async def _race(live_api: GraphQLClient) -> None:
    host = await live_api.sign_up("host@example.com")
    people = list(
        await asyncio.gather(*(live_api.sign_up(f"p{n}@example.com") for n in range(PEOPLE)))
    )
    created = await live_api.post(
        CREATE, {"input": {"title": "Popular", "capacity": CAPACITY}}, token=host.token
    )
    event_id = created["data"]["createEvent"]["id"]

    bodies = await _at_once(live_api, RSVP, event_id, people, response="GOING")
    assert [outcome(body) for body in bodies] == ["OK"] * PEOPLE  # no database errors
    statuses = [body["data"]["rsvp"]["status"] for body in bodies]
    assert statuses.count("GOING") == CAPACITY
    assert statuses.count("WAITLISTED") == PEOPLE - CAPACITY
    answered = sorted(
        body["data"]["rsvp"]["waitlistPosition"]
        for body in bodies
        if body["data"]["rsvp"]["status"] == "WAITLISTED"
    )
    assert answered == list(range(1, PEOPLE - CAPACITY + 1))  # no gaps, no repeats

    going = await _answers(live_api, host, event_id, "GOING")
    line = await _answers(live_api, host, event_id, "WAITLISTED")
    assert len(going) == CAPACITY and len(line) == PEOPLE - CAPACITY
    positions = await _positions(live_api, people, event_id)
    assert [positions[ident]["waitlistPosition"] for ident in line] == list(
        range(1, PEOPLE - CAPACITY + 1)
    )

    # Ten of those GOING cancel at once: exactly the first ten in line move up.
    leaving = [p for p in people if p.user_id in set(going[:LEAVING])]
    bodies = await _at_once(live_api, CANCEL, event_id, leaving)
    assert [body["data"]["cancelRsvp"] for body in bodies] == [True] * LEAVING
    now_going = await _answers(live_api, host, event_id, "GOING")
    now_line = await _answers(live_api, host, event_id, "WAITLISTED")
    assert sorted(now_going) == sorted(going[LEAVING:] + line[:LEAVING])
    assert now_line == line[LEAVING:]
    positions = await _positions(live_api, people, event_id)
    assert [positions[ident]["waitlistPosition"] for ident in now_line] == list(
        range(1, PEOPLE - CAPACITY - LEAVING + 1)
    )
    counts = (await live_api.post(GET, {"id": event_id}, token=host.token))["data"]["event"]
    assert (counts["attendeeCount"], counts["waitlistCount"]) == (
        CAPACITY,
        PEOPLE - CAPACITY - LEAVING,
    )
