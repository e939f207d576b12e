"""Hosts: the creator first; co-hosts edit, manage links, see attendee emails and remove
attendees; only the creator deletes the event or changes its hosts."""

from tests.client import GraphQLClient, error_of
from tests.planning.helpers import (
    ADD_HOST,
    ATTENDEES,
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
    ok,
    rsvp,
)

FORBIDDEN = {"code": "FORBIDDEN"}


async def test_co_host_powers_and_limits(api: GraphQLClient) -> None:
    ada, cy, guest = [await api.sign_up() for _ in range(3)]
    event = await create(api, ada, visibility="PRIVATE")
    assert event["hosts"][0]["id"] == ada.user_id and event["viewerIsHost"] is True
    # A co-host must be able to see the event: cy cannot yet.
    body = await api.post(ADD_HOST, {"eventId": event["id"], "userId": cy.user_id}, token=ada.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "userId"}
    await ok(
        api,
        "mutation($c: String!) { acceptInvite(code: $c) { id } }",
        cy,
        c=await invite_code(api, ada, event["id"]),
    )
    added = await ok(api, ADD_HOST, ada, eventId=event["id"], userId=cy.user_id)
    assert [h["id"] for h in added["addCoHost"]["hosts"]] == [ada.user_id, cy.user_id]
    assert (await ok(api, GET, cy, id=event["id"]))["event"]["viewerIsHost"] is True

    # Co-host: updates, links, attendee emails, removing attendees.
    await ok(api, UPDATE, cy, id=event["id"], input={"title": "By cy"})
    await ok(
        api,
        "mutation($c: String!) { acceptInvite(code: $c) { id } }",
        guest,
        c=await invite_code(api, cy, event["id"]),
    )
    assert "errors" not in await rsvp(api, guest, event["id"], "GOING")
    assert len((await ok(api, LINKS, cy, id=event["id"]))["event"]["inviteLinks"]) == 2
    going = (await ok(api, ATTENDEES, cy, id=event["id"]))["event"]["attendees"]["edges"]
    assert [e["node"]["email"] for e in going] == [guest.email]
    assert (await ok(api, REMOVE, cy, eventId=event["id"], userId=guest.user_id))["removeAttendee"]

    # ... but not delete, nor change hosts.
    for query, variables in (
        (DELETE, {"id": event["id"]}),
        (ADD_HOST, {"eventId": event["id"], "userId": guest.user_id}),
        (REMOVE_HOST, {"eventId": event["id"], "userId": ada.user_id}),
        (REMOVE_HOST, {"eventId": event["id"], "userId": cy.user_id}),
    ):
        body = await api.post(query, variables, token=cy.token)
        assert error_of(body)["extensions"] == FORBIDDEN, query
        assert error_of(body)["message"] == "Only the creator of this event can do this"

    # The creator stays; a removed co-host loses the powers (and, here, the event).
    body = await api.post(
        REMOVE_HOST, {"eventId": event["id"], "userId": ada.user_id}, token=ada.token
    )
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "userId"}
    removed = await ok(api, REMOVE_HOST, ada, eventId=event["id"], userId=cy.user_id)
    assert [h["id"] for h in removed["removeCoHost"]["hosts"]] == [ada.user_id]
    body = await api.post(UPDATE, {"id": event["id"], "input": {"title": "x"}}, token=cy.token)
    assert error_of(body)["extensions"] == FORBIDDEN  # cy accepted an invite: still sees it


async def test_non_hosts_are_forbidden_host_actions_on_a_visible_event(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    event = await create(api, ada)
    for query, variables in (
        (UPDATE, {"id": event["id"], "input": {"title": "x"}}),
        (REMOVE, {"eventId": event["id"], "userId": ada.user_id}),
        (CREATE_LINK, {"eventId": event["id"]}),
        (INVITE, {"eventId": event["id"], "email": "friend@example.com"}),
    ):
        body = await api.post(query, variables, token=bob.token)
        assert error_of(body)["extensions"] == FORBIDDEN, query
        assert error_of(body)["message"] == "Only the hosts of this event can do this", query
    body = await api.post(LINKS, {"id": event["id"]}, token=bob.token)
    assert error_of(body)["extensions"] == FORBIDDEN
    assert error_of(body)["path"] == ["event", "inviteLinks"]


async def test_hosting_filter(api: GraphQLClient) -> None:
    ada, cy = await api.sign_up(), await api.sign_up()
    first = await create(api, ada, title="Ada's")
    await create(api, cy, title="Cy's")
    await create(api, ada, title="Other")
    await ok(api, ADD_HOST, ada, eventId=first["id"], userId=cy.user_id)
    data = await ok(api, LIST, cy, first=10, filter={"hosting": True})
    assert sorted(e["node"]["title"] for e in data["events"]["edges"]) == ["Ada's", "Cy's"]
    assert data["events"]["totalCount"] == 2
    mine = await ok(api, LIST, cy, first=10, filter={"mine": True})
    assert [e["node"]["title"] for e in mine["events"]["edges"]] == ["Cy's"]


async def test_deleting_an_event_deletes_answers_hosts_and_links(api: GraphQLClient, app) -> None:
    from sqlalchemy import text

    ada, cy, bob = [await api.sign_up() for _ in range(3)]
    event = await create(api, ada)
    await ok(api, ADD_HOST, ada, eventId=event["id"], userId=cy.user_id)
    await invite_code(api, ada, event["id"])
    assert "errors" not in await rsvp(api, bob, event["id"], "GOING")
    await ok(api, DELETE, ada, id=event["id"])
    async with app.state.services.database.connect() as connection:
        for table in ("event_host", "rsvp", "invite_link", "event"):
            count = (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()  # noqa: S608
            assert count == 0, table
