"""Simultaneous requests over real HTTP connections to a uvicorn process, on SQLite and
on PostgreSQL: the database decides races, and every outcome is a coded answer."""

import asyncio
from typing import Any

from tests.client import SIGN_UP, Account, GraphQLClient, code_of

UPDATE = """
mutation Update($id: ID!, $input: UpdateEventInput!) {
  updateEvent(id: $id, input: $input) { id title tags }
}"""
DELETE = "mutation Delete($id: ID!) { deleteEvent(id: $id) }"
EVENT = "query Event($id: ID!) { event(id: $id) { id title tags } }"
PAGE = """
query Page($first: Int!, $after: String, $tag: String) {
  events(first: $first, after: $after, filter: {tag: $tag}) {
    totalCount edges { node { id } } pageInfo { hasNextPage endCursor }
  }
}"""


def outcome(body: dict[str, Any]) -> str:
    return "OK" if "errors" not in body else code_of(body)


async def all_event_ids(api: GraphQLClient, account: Account, tag: str | None = None) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        body = await api.post(PAGE, {"first": 7, "after": after, "tag": tag}, token=account.token)
        assert "errors" not in body, body
        page = body["data"]["events"]
        ids += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


async def test_fifty_simultaneous_sign_ups_with_one_email(live_api: GraphQLClient) -> None:
    # Half of them spell the address in capitals: one account, case-insensitively.
    emails = ["same@example.com", "SAME@Example.COM"] * 25
    bodies = await asyncio.gather(
        *(live_api.post(SIGN_UP, {"email": e, "password": "correct horse"}) for e in emails)
    )
    outcomes = sorted(outcome(body) for body in bodies)
    assert outcomes == ["CONFLICT"] * 49 + ["OK"]


async def test_two_hundred_simultaneous_creates_from_twenty_users(
    live_api: GraphQLClient,
) -> None:
    users = await asyncio.gather(*(live_api.sign_up(f"creator{n}@example.com") for n in range(20)))
    created = await asyncio.gather(
        *(
            live_api.create_event(user, title=f"{user.email} #{k}", tags=["load"])
            for user in users
            for k in range(10)
        )
    )
    created_ids = {event["id"] for event in created}
    assert len(created_ids) == 200

    listed = await all_event_ids(live_api, users[0])
    assert len(listed) == 200  # each listed exactly once ...
    assert set(listed) == created_ids  # ... and nothing else
    assert sorted(await all_event_ids(live_api, users[1], tag="load")) == sorted(listed)

    body = await live_api.post(PAGE, {"first": 1}, token=users[0].token)
    assert body["data"]["events"]["totalCount"] == 200


async def test_simultaneous_updates_and_deletes_of_one_event(live_api: GraphQLClient) -> None:
    owner = await live_api.sign_up("owner@example.com")
    other = await live_api.sign_up("other@example.com")
    event = await live_api.create_event(owner, title="Original", tags=["original"])
    ident = event["id"]

    calls = []
    for n in range(10):
        changes = {"title": f"Title {n}", "tags": [f"tag{n}"]}
        calls.append(
            (
                "update",
                owner,
                live_api.post(UPDATE, {"id": ident, "input": changes}, token=owner.token),
            )
        )
        calls.append(("delete", owner, live_api.post(DELETE, {"id": ident}, token=owner.token)))
        calls.append(
            (
                "update",
                other,
                live_api.post(UPDATE, {"id": ident, "input": changes}, token=other.token),
            )
        )
        calls.append(("delete", other, live_api.post(DELETE, {"id": ident}, token=other.token)))
    bodies = await asyncio.gather(*(call for _, _, call in calls))
    results = [
        (kind, who, outcome(body)) for (kind, who, _), body in zip(calls, bodies, strict=True)
    ]

    owner_deletes = [result for kind, who, result in results if kind == "delete" and who is owner]
    owner_updates = [result for kind, who, result in results if kind == "update" and who is owner]
    strangers = [result for _, who, result in results if who is other]
    assert owner_deletes.count("OK") == 1
    assert set(owner_deletes) <= {"OK", "NOT_FOUND"}
    assert set(owner_updates) <= {"OK", "NOT_FOUND"}
    # Someone else's event: refused while it exists, unknown once it is gone.
    assert set(strangers) <= {"FORBIDDEN", "NOT_FOUND"}

    # Serially, a successful delete leaves nothing behind: not the event, not its tags.
    body = await live_api.post(EVENT, {"id": ident}, token=owner.token)
    assert body == {"data": {"event": None}}
    assert await all_event_ids(live_api, owner) == []
    for n in range(10):
        assert await all_event_ids(live_api, owner, tag=f"tag{n}") == []


async def test_simultaneous_deletes(live_api: GraphQLClient) -> None:
    owner = await live_api.sign_up("owner@example.com")
    events = [await live_api.create_event(owner, title=f"E{n}") for n in range(3)]
    calls = [
        live_api.post(DELETE, {"id": event["id"]}, token=owner.token)
        for event in events
        for _ in range(8)
    ]
    outcomes = [outcome(body) for body in await asyncio.gather(*calls)]
    for n in range(3):
        per_event = outcomes[n * 8 : (n + 1) * 8]
        assert sorted(per_event) == ["NOT_FOUND"] * 7 + ["OK"]
    assert await all_event_ids(live_api, owner) == []


async def test_simultaneous_updates_end_in_one_writers_state(live_api: GraphQLClient) -> None:
    owner = await live_api.sign_up("owner@example.com")
    ident = (await live_api.create_event(owner, title="Original", tags=["original"]))["id"]
    bodies = await asyncio.gather(
        *(
            live_api.post(
                UPDATE,
                {"id": ident, "input": {"title": f"Title {n}", "tags": [f"tag{n}", "shared"]}},
                token=owner.token,
            )
            for n in range(20)
        )
    )
    assert [outcome(body) for body in bodies] == ["OK"] * 20

    final = (await live_api.post(EVENT, {"id": ident}, token=owner.token))["data"]["event"]
    winner = final["title"].removeprefix("Title ")
    # Title and tags come from the same update, and the tag index agrees with them.
    assert final["tags"] == [f"tag{winner}", "shared"]
    for n in range(20):
        expected = [ident] if str(n) == winner else []
        assert await all_event_ids(live_api, owner, tag=f"tag{n}") == expected
    assert await all_event_ids(live_api, owner, tag="original") == []
