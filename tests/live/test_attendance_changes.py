"""Every change to an event's answers reaches its subscribers as ATTENDANCE, however
it is made: here, a deleted account taking its answers (GOING, waitlisted or not) and
its co-hostships with it, through real sockets against a real server."""

from typing import Any

from tests.client import GraphQLClient
from tests.lifecycle.session_client import DELETE_ACCOUNT
from tests.live.sockets import Socket, activate, signed_in_socket
from tests.planning.helpers import ADD_HOST, RSVP, create, ok
from tests.servers import LiveServer

WATCH = """subscription { eventsChanged {
  kind eventId at event { id attendeeCount waitlistCount hosts { id } } } }"""


async def change(socket: Socket) -> dict[str, Any]:
    return await socket.change_for("all")


async def test_a_deleted_account_takes_its_answers_and_co_hostships_with_a_change_each(
    server: LiveServer, live_api: GraphQLClient
) -> None:
    api = live_api
    ada, bob, carol, dave, erin = [await api.sign_up() for _ in range(5)]
    party = (await create(api, ada, title="Party", capacity=1))["id"]
    talk = (await create(api, ada, title="Talk"))["id"]
    await ok(api, RSVP, bob, eventId=party, response="GOING")
    await ok(api, RSVP, carol, eventId=party, response="GOING")  # waitlisted
    await ok(api, RSVP, erin, eventId=party, response="GOING")  # waitlisted after carol
    await ok(api, RSVP, dave, eventId=party, response="MAYBE")
    await ok(api, RSVP, dave, eventId=talk, response="DECLINED")
    await ok(api, ADD_HOST, ada, eventId=talk, userId=dave.user_id)

    async with signed_in_socket(server, ada.token) as socket:
        await socket.subscribe("all", WATCH)
        await activate(api, ada, party, [(socket, "all")])

        # dave: a MAYBE on one event, a DECLINED and a co-hostship on the other. Each
        # is its own change, in event id order (the order the deletion locks them).
        await ok(api, DELETE_ACCOUNT, dave, password=dave.password)
        expected = sorted(
            [(party, "ATTENDANCE"), (talk, "ATTENDANCE"), (talk, "UPDATED")],
            key=lambda pair: pair[0],
        )
        seen = [await change(socket) for _ in expected]
        assert [(c["eventId"], c["kind"]) for c in seen] == expected, socket.history
        hosts = [c["event"]["hosts"] for c in seen if c["kind"] == "UPDATED"]
        assert hosts == [[{"id": ada.user_id}]]

        # erin waits in line: her answer going shortens the waitlist.
        await ok(api, DELETE_ACCOUNT, erin, password=erin.password)
        delivered = await change(socket)
        assert (delivered["kind"], delivered["eventId"]) == ("ATTENDANCE", party)
        assert (delivered["event"]["attendeeCount"], delivered["event"]["waitlistCount"]) == (1, 1)

        # bob held the one place: it goes to carol, first in line, in the same change.
        await ok(api, DELETE_ACCOUNT, bob, password=bob.password)
        delivered = await change(socket)
        assert (delivered["kind"], delivered["eventId"]) == ("ATTENDANCE", party)
        assert (delivered["event"]["attendeeCount"], delivered["event"]["waitlistCount"]) == (1, 0)

        # Nothing else came about these deletions: the next change is this marker.
        marker = (await create(api, ada, title="Marker"))["id"]
        delivered = await change(socket)
        assert (delivered["kind"], delivered["eventId"]) == ("CREATED", marker), socket.history
