"""ACCESS_LOST on eventsChanged reaches everyone who could see the event just before
the change that hid it from them, even if the subscription never reported that event
(a frontend lists events by query and keeps the list current with eventsChanged);
someone who never could see it receives nothing, not even its id. Through real
sockets against a real server, on SQLite and PostgreSQL."""

from contextlib import AsyncExitStack
from typing import Any

from tests.client import Account, GraphQLClient
from tests.live.sockets import EVENTS_CHANGED, Socket, activate, signed_in_socket
from tests.planning.helpers import (
    ACCEPT,
    ADD_HOST,
    CANCEL,
    REMOVE,
    REMOVE_HOST,
    RSVP,
    UPDATE,
    create,
    invite_code,
    ok,
)
from tests.servers import LiveServer


async def test_whoever_could_see_the_event_is_told_once_and_nobody_else(
    server: LiveServer, live_api: GraphQLClient
) -> None:
    api = live_api
    ada, bob, carol, dave, erin, frank = [await api.sign_up() for _ in range(6)]
    probe = (await create(api, ada, title="Probe"))["id"]
    listed = (await create(api, ada, title="Listed"))["id"]
    club = (await create(api, ada, title="Club"))["id"]
    invited = (await create(api, ada, title="Invited", visibility="PRIVATE"))["id"]
    secret = (await create(api, ada, title="Secret", visibility="PRIVATE"))["id"]
    # dave and erin answer the club while it is public (which keeps them in once it is
    # private); erin co-hosts it; frank accepts an invite to the private event.
    await ok(api, RSVP, dave, eventId=club, response="GOING")
    await ok(api, RSVP, erin, eventId=club, response="MAYBE")
    await ok(api, ADD_HOST, ada, eventId=club, userId=erin.user_id)
    await ok(api, ACCEPT, frank, code=await invite_code(api, ada, invited))

    async with AsyncExitStack() as stack:
        names = {"bob": bob, "carol": carol, "dave": dave, "erin": erin, "frank": frank}
        sockets = {
            name: await stack.enter_async_context(signed_in_socket(server, account.token))
            for name, account in names.items()
        }
        for socket in sockets.values():
            await socket.subscribe("all", EVENTS_CHANGED)
        await activate(api, ada, probe, [(socket, "all") for socket in sockets.values()])

        bob_, carol_, dave_, erin_, frank_ = sockets.values()
        everyone = list(sockets.values())
        lost = "ACCESS_LOST"

        # Each step waits for what it sends: a change is decided when it is delivered,
        # so the next step must not have changed who sees what by then.
        async def step(
            mutation: tuple[str, dict[str, Any]],
            account: Account,
            *expected: tuple[Socket, str, str],
        ) -> None:
            await ok(api, mutation[0], account, **mutation[1])
            for socket, kind, event_id in expected:
                change = await socket.change_for("all")
                assert (change["kind"], change["eventId"]) == (kind, event_id), socket.history
                if kind == lost:
                    assert change["event"] is None, change

        # None of the subscriptions has reported these events: they were listed by query.
        private = {"visibility": "PRIVATE"}
        await step(
            (UPDATE, {"id": listed, "input": private}),
            ada,
            *[(socket, lost, listed) for socket in everyone],
        )
        await step(
            (UPDATE, {"id": club, "input": private}),
            ada,
            *[(socket, lost, club) for socket in (bob_, carol_, frank_)],
            *[(socket, "UPDATED", club) for socket in (dave_, erin_)],
        )
        await step(
            (REMOVE, {"eventId": club, "userId": dave.user_id}),
            ada,
            (dave_, lost, club),
            (erin_, "ATTENDANCE", club),
        )
        # erin withdraws her answer but still hosts it: she still sees it.
        await step((CANCEL, {"eventId": club}), erin, (erin_, "ATTENDANCE", club))
        await step(
            (REMOVE_HOST, {"eventId": club, "userId": erin.user_id}), ada, (erin_, lost, club)
        )
        await step(
            (UPDATE, {"id": invited, "input": {"status": "DRAFT"}}), ada, (frank_, lost, invited)
        )
        # Nobody but ada ever could see the secret one: not a word about it to anyone.
        await step((UPDATE, {"id": secret, "input": {"status": "DRAFT"}}), ada)
        await step((UPDATE, {"id": secret, "input": {"title": "Still secret"}}), ada)
        # Changes arrive in commit order, so each socket's next change being the marker
        # shows that nothing else came: nothing about the secret event, nothing twice,
        # nothing more about an event once it was lost.
        marker = (await create(api, ada, title="Marker"))["id"]
        for socket in everyone:
            change = await socket.change_for("all")
            assert (change["kind"], change["eventId"]) == ("CREATED", marker), socket.history
