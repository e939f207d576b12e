"""Only the LISTEN connection drops while the database keeps accepting writes: the
listener reconnects and reads the changes it missed from the change log, so the
subscriber receives every change of the gap, once each, in commit order.

PostgreSQL only (on SQLite every worker reads the change log anyway). The test ends
the listener's connection itself, from its own connection (pg_terminate_backend on
the backend named planner-live-listener), as an operator or a network fault would.
"""

import asyncio

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from db.change_feed import LISTENER_NAME
from tests.client import GraphQLClient
from tests.live.sockets import EVENTS_CHANGED, PROBE, activate, same_instant, signed_in_socket
from tests.planning.helpers import create, ok
from tests.servers import LiveServer

LISTENERS = """SELECT pid FROM pg_stat_activity
  WHERE application_name = $1 AND datname = current_database()"""
# Bounds that catch a hang, not performance assertions.
RECONNECT_SECONDS = 30.0


async def listeners(connection: asyncpg.Connection) -> set[int]:
    return {row["pid"] for row in await connection.fetch(LISTENERS, LISTENER_NAME)}


async def test_changes_made_while_the_listener_was_away_arrive_once_in_order(
    database_kind: str, database_url: str, server: LiveServer, live_api: GraphQLClient
) -> None:
    if database_kind != "postgresql":
        pytest.skip("SQLite has no listener: every worker reads the change log")
    api = live_api
    ada = await api.sign_up()
    events = [(await create(api, ada, title=f"Event {n}"))["id"] for n in range(3)]
    dsn = make_url(database_url).set(drivername="postgresql")
    admin = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        async with signed_in_socket(server, ada.token) as socket:
            await socket.subscribe("all", EVENTS_CHANGED)
            await activate(api, ada, events[0], [(socket, "all")])
            (listener,) = await listeners(admin)
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", listener)

            # Writes go on (through the pool, untouched) while the listener is away;
            # keep writing until a new listener connection is there.
            made: list[tuple[str, str]] = []
            in_gap = 0
            async with asyncio.timeout(RECONNECT_SECONDS):
                while True:
                    event_id = events[len(made) % len(events)]
                    title = f"Change {len(made)}"
                    data = await ok(api, PROBE, ada, id=event_id, title=title)
                    made.append((event_id, data["updateEvent"]["updatedAt"]))
                    back = await listeners(admin)
                    if back - {listener}:
                        break
                    in_gap += 1
            assert in_gap >= 1, "no change was made while the listener was away"
            # And a few more once it is back.
            for n in range(3):
                data = await ok(api, PROBE, ada, id=events[n], title=f"After {n}")
                made.append((events[n], data["updateEvent"]["updatedAt"]))

            received = [await socket.change_for("all") for _ in made]
            assert [(c["kind"], c["eventId"]) for c in received] == [
                ("UPDATED", event_id) for event_id, _ in made
            ], socket.history
            assert all(same_instant(c["at"], at) for c, (_, at) in zip(received, made, strict=True))
            # Nothing twice: the next change is this marker.
            marker = (await create(api, ada, title="Marker"))["id"]
            change = await socket.change_for("all")
            assert (change["kind"], change["eventId"]) == ("CREATED", marker), socket.history
    finally:
        await admin.close()
    assert "Live listener reconnected" in server.output()
