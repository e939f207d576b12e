"""Who sees an event: DRAFT hosts only; PRIVATE hosts, invited, answered; PUBLIC
everyone signed in. An invisible event does not exist: null, absent from lists and
counts, and NOT_FOUND with the unknown-id message for every mutation naming it."""

import uuid

import pytest

from tests.client import Account, GraphQLClient, error_of
from tests.planning.helpers import (
    ACCEPT,
    ADD_HOST,
    CANCEL,
    CREATE_LINK,
    DELETE,
    GET,
    INVITE,
    LINKS,
    LIST,
    REMOVE,
    REMOVE_HOST,
    UPDATE,
    create,
    invite_code,
    listed_ids,
    ok,
    rsvp,
)


async def _visible(api: GraphQLClient, account: Account, event_id: str) -> bool:
    data = await ok(api, GET, account, id=event_id)
    listed = event_id in await listed_ids(api, account)
    count = (await ok(api, LIST, account, first=1))["events"]["totalCount"]
    assert (data["event"] is not None) == listed, "event(id) and events disagree"
    assert count == len(await listed_ids(api, account)), "totalCount disagrees with the pages"
    return listed


async def test_public_and_published_by_default(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    event = await create(api, ada)
    assert (event["visibility"], event["status"]) == ("PUBLIC", "PUBLISHED")
    assert await _visible(api, bob, event["id"])


async def test_a_draft_is_for_its_hosts_only(api: GraphQLClient) -> None:
    ada, bob, cy = await api.sign_up(), await api.sign_up(), await api.sign_up()
    draft = await create(api, ada, status="DRAFT")
    assert await _visible(api, ada, draft["id"])
    assert not await _visible(api, bob, draft["id"])
    # An answer or an invite does not open a draft either; a co-host sees it.
    await ok(api, UPDATE, ada, id=draft["id"], input={"status": "PUBLISHED"})
    assert (await rsvp(api, bob, draft["id"], "MAYBE"))["data"]["rsvp"]["status"] == "MAYBE"
    await ok(api, ADD_HOST, ada, eventId=draft["id"], userId=cy.user_id)
    await ok(api, UPDATE, ada, id=draft["id"], input={"status": "DRAFT"})
    assert not await _visible(api, bob, draft["id"])
    assert await _visible(api, cy, draft["id"])


async def test_private_is_for_hosts_invited_and_answered(api: GraphQLClient) -> None:
    ada, bob, cy, dee = [await api.sign_up() for _ in range(4)]
    event = await create(api, ada, visibility="PRIVATE")
    assert await _visible(api, ada, event["id"])
    assert not await _visible(api, bob, event["id"])
    code = await invite_code(api, ada, event["id"])
    await ok(api, ACCEPT, bob, code=code)
    assert await _visible(api, bob, event["id"])
    # Bob answers; the event turns public and private again: his answer keeps it visible.
    assert "errors" not in await rsvp(api, bob, event["id"], "GOING")
    assert not await _visible(api, cy, event["id"])
    await ok(api, UPDATE, ada, id=event["id"], input={"visibility": "PUBLIC"})
    assert "errors" not in await rsvp(api, cy, event["id"], "DECLINED")
    await ok(api, UPDATE, ada, id=event["id"], input={"visibility": "PRIVATE"})
    assert await _visible(api, cy, event["id"])  # answered
    assert not await _visible(api, dee, event["id"])


async def test_cancelled_stays_visible(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    event = await create(api, ada)
    await ok(api, UPDATE, ada, id=event["id"], input={"status": "CANCELLED"})
    assert await _visible(api, bob, event["id"])


def _every_mutation(event_id: str, user_id: str) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("updateEvent", UPDATE, {"id": event_id, "input": {"title": "Mine now"}}),
        ("deleteEvent", DELETE, {"id": event_id}),
        (
            "rsvp",
            "mutation($e: ID!) { rsvp(eventId: $e, response: GOING) { status } }",
            {"e": event_id},
        ),
        ("cancelRsvp", CANCEL, {"eventId": event_id}),
        ("removeAttendee", REMOVE, {"eventId": event_id, "userId": user_id}),
        ("addCoHost", ADD_HOST, {"eventId": event_id, "userId": user_id}),
        ("removeCoHost", REMOVE_HOST, {"eventId": event_id, "userId": user_id}),
        ("createInviteLink", CREATE_LINK, {"eventId": event_id}),
        ("inviteByEmail", INVITE, {"eventId": event_id, "email": "friend@example.com"}),
    ]


@pytest.mark.parametrize("kind", ["private", "draft", "unknown"])
async def test_a_stranger_gets_not_found_from_every_mutation(api: GraphQLClient, kind: str) -> None:
    ada, stranger = await api.sign_up(), await api.sign_up()
    fields = {"private": {"visibility": "PRIVATE"}, "draft": {"status": "DRAFT"}}.get(kind, {})
    event_id = str(uuid.uuid4()) if kind == "unknown" else (await create(api, ada, **fields))["id"]
    for name, query, variables in _every_mutation(event_id, stranger.user_id):
        body = await api.post(query, variables, token=stranger.token)
        error = error_of(body)
        assert error["message"] == "Event not found", name
        assert error["extensions"] == {"code": "NOT_FOUND"}, name
    assert (await ok(api, GET, stranger, id=event_id))["event"] is None
    assert (await ok(api, GET, ada, id=event_id))["event"] is not None or kind == "unknown"
    if kind != "unknown":  # and the event is untouched
        assert (await ok(api, GET, ada, id=event_id))["event"]["title"] == "An event"


async def test_a_stranger_cannot_reach_links_of_a_private_event(api: GraphQLClient) -> None:
    ada, stranger = await api.sign_up(), await api.sign_up()
    event = await create(api, ada, visibility="PRIVATE")
    link = (await ok(api, CREATE_LINK, ada, eventId=event["id"]))["createInviteLink"]["link"]
    body = await api.post(
        "mutation($id: ID!) { revokeInviteLink(id: $id) }", {"id": link["id"]}, token=stranger.token
    )
    assert error_of(body)["extensions"]["code"] == "NOT_FOUND"
    body = await api.post(LINKS, {"id": event["id"]}, token=stranger.token)
    assert body["data"]["event"] is None


async def test_user_events_and_filters_apply_the_rule(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    public = await create(api, ada, title="Public")
    await create(api, ada, title="Private", visibility="PRIVATE")
    await create(api, ada, title="Draft", status="DRAFT")
    query = """query($id: ID!) { event(id: $id) { creator { events {
      totalCount edges { node { title } } } } } }"""
    seen_by_bob = (await ok(api, query, bob, id=public["id"]))["event"]["creator"]["events"]
    assert [e["node"]["title"] for e in seen_by_bob["edges"]] == ["Public"]
    assert seen_by_bob["totalCount"] == 1
    seen_by_ada = (await ok(api, query, ada, id=public["id"]))["event"]["creator"]["events"]
    assert seen_by_ada["totalCount"] == 3
    mine = await ok(api, LIST, ada, filter={"status": "DRAFT"})
    assert [e["node"]["title"] for e in mine["events"]["edges"]] == ["Draft"]
    assert (await ok(api, LIST, bob, filter={"status": "DRAFT"}))["events"]["totalCount"] == 0
