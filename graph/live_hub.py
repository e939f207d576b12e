"""One worker's live updates: the open sockets per user, the subscriptions, and the
dispatcher that turns each committed change (db/change_feed.py) into deliveries.

Every change is decided for its receivers when it arrives, with the visibility rule of
db/visibility.py asked once for all of them (one statement per change, however many
subscribers), so a viewer receives only what they could query at that moment. Changes
are dispatched one at a time in commit order, and each subscription has its own
bounded queue: a consumer too slow to keep up gets an error on that operation, and
the others are not held up by it.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from db.change_feed import ChangeFeed
from db.engine import Database
from db.events import EventCriteria, event_matches, get_event
from db.live_changes import DELETED, REVOKED, Change, read_details
from db.live_sockets import (
    HEARTBEAT_SECONDS,
    claim_socket,
    count_sockets,
    keep_alive,
    release_sockets,
)
from db.models import Event
from db.types import utc_now
from db.visibility import viewers_who_see
from graph.live_queue import DeliveryQueue

logger = logging.getLogger("planner.live")

ACCESS_LOST = "ACCESS_LOST"
# How long startup waits for the feed to follow before serving anyway (it keeps trying).
READY_SECONDS = 10.0


@dataclass(frozen=True)
class LiveConfig:
    init_timeout_seconds: float = 5.0
    max_subscriptions_per_connection: int = 20
    # Across every worker and instance (db/live_sockets.py).
    max_connections_per_user: int = 10
    max_message_bytes: int = 64 * 1024
    queue_size: int = 100
    poll_seconds: float = 0.2


@dataclass(frozen=True, slots=True)
class Delivery:
    kind: str
    event_id: uuid.UUID
    event: Event | None
    at: datetime


class Overflow:
    """Put in a subscription's queue instead of what no longer fit."""


OVERFLOW = Overflow()


class LiveConnection(Protocol):
    """A socket (graph/live_socket.py) or a subscription streamed over HTTP
    (graph/live_http.py): what counts against MAX_CONNECTIONS_PER_USER."""

    async def recheck(self) -> None:
        """Verify the token again (after a revocation); end the connection if refused."""


@dataclass(eq=False)
class Subscription:
    viewer_id: uuid.UUID
    # eventChanged: the one event; eventsChanged: None.
    event_id: uuid.UUID | None
    # eventsChanged with a filter: the events query's criteria for this viewer.
    criteria: EventCriteria | None
    queue: DeliveryQueue[Delivery | Overflow]
    # Events this subscriber was told about (or subscribed to by id): who gets
    # ACCESS_LOST when visibility ends.
    known: set[uuid.UUID] = field(default_factory=set)
    # Events this subscription said ACCESS_LOST about (until it sees them again): told
    # once, whichever later change would also qualify (they are decided on delivery, so
    # the change that hid the event may be read after the next one).
    gone: set[uuid.UUID] = field(default_factory=set)
    ended: bool = False

    def offer(self, item: Delivery) -> None:
        if self.ended:
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(OVERFLOW)
            self.ended = True
            return
        if self.event_id is not None and item.kind in (ACCESS_LOST, DELETED):
            self.ended = True  # nothing more about this event


class LiveHub:
    def __init__(self, database: Database, config: LiveConfig | None = None) -> None:
        self.database = database
        self.config = config or LiveConfig()
        self.feed = ChangeFeed(database, poll_seconds=self.config.poll_seconds)
        self._connections: dict[uuid.UUID, set[LiveConnection]] = {}
        # This worker's rows in the shared count of sockets (db/live_sockets.py).
        self.worker = uuid.uuid4()
        self._claims: dict[LiveConnection, uuid.UUID] = {}
        self._unreleased: set[uuid.UUID] = set()
        self._by_event: dict[uuid.UUID, set[Subscription]] = {}
        self._all: set[Subscription] = set()

    # --- sockets ---

    async def has_room(self, user_id: uuid.UUID) -> bool:
        """Whether the user holds fewer than MAX_CONNECTIONS_PER_USER connections, on
        any worker or instance; a hint (register decides, under the user's lock)."""
        limit = self.config.max_connections_per_user
        if len(self._connections.get(user_id, ())) >= limit:
            return False  # known here, without asking the database
        return await count_sockets(self.database, user_id, utc_now()) < limit

    async def register(self, user_id: uuid.UUID, connection: LiveConnection) -> bool:
        """False when the user already holds MAX_CONNECTIONS_PER_USER connections, on
        any worker or instance (db/live_sockets.py)."""
        limit = self.config.max_connections_per_user
        if len(self._connections.get(user_id, ())) >= limit:
            return False  # known here, without asking the database
        claim = await claim_socket(self.database, user_id, self.worker, limit, utc_now())
        if claim is None:
            return False
        self._connections.setdefault(user_id, set()).add(connection)
        self._claims[connection] = claim
        return True

    async def unregister(self, user_id: uuid.UUID, connection: LiveConnection) -> None:
        held = self._connections.get(user_id)
        if held is not None:
            held.discard(connection)
            if not held:
                del self._connections[user_id]
        claim = self._claims.pop(connection, None)
        if claim is None:
            return
        try:
            await release_sockets(self.database, [claim])
        except Exception:  # the database is unreachable: the next heartbeat retries
            self._unreleased.add(claim)

    def connection_count(self) -> int:
        return sum(len(held) for held in self._connections.values())

    # --- subscriptions ---

    @contextmanager
    def subscribe(
        self,
        viewer_id: uuid.UUID,
        event_id: uuid.UUID | None = None,
        criteria: EventCriteria | None = None,
    ) -> Iterator[Subscription]:
        subscription = Subscription(
            viewer_id, event_id, criteria, DeliveryQueue(self.config.queue_size)
        )
        if event_id is not None:
            subscription.known.add(event_id)
            self._by_event.setdefault(event_id, set()).add(subscription)
        else:
            self._all.add(subscription)
        try:
            yield subscription
        finally:
            if event_id is not None:
                watching = self._by_event.get(event_id)
                if watching is not None:
                    watching.discard(subscription)
                    if not watching:
                        del self._by_event[event_id]
            else:
                self._all.discard(subscription)

    # --- dispatch ---

    async def run(self) -> None:
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            await self.feed.run(self.dispatch)
        finally:
            heartbeat.cancel()
            await asyncio.wait({heartbeat})

    async def _heartbeat(self) -> None:
        """Keep this worker's socket rows counted; retry releases that failed."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                unreleased = list(self._unreleased)
                await release_sockets(self.database, unreleased)
                self._unreleased.difference_update(unreleased)
                await keep_alive(self.database, self.worker, utc_now())
            except Exception:
                logger.warning("Live socket heartbeat failed; retrying", exc_info=True)

    async def dispatch(self, change: Change) -> None:
        if change.kind == REVOKED:
            await self._revoked(change)
        elif change.event_id is not None:
            await self._event_changed(change, change.event_id)

    async def _revoked(self, change: Change) -> None:
        if change.user_id is None:
            return
        held = list(self._connections.get(change.user_id, ()))
        # Awaited before the next change is dispatched: nothing committed after the
        # revocation reaches a socket it closes.
        await asyncio.gather(*(connection.recheck() for connection in held))

    async def _event_changed(self, change: Change, event_id: uuid.UUID) -> None:
        subscriptions = [*self._by_event.get(event_id, ()), *self._all]
        if not subscriptions:
            return
        if not change.details_known:
            async with self.database.read() as session:
                change = await read_details(session, change)
        if change.kind == DELETED:
            await self._deleted(change, event_id, subscriptions)
            return
        viewers = {subscription.viewer_id for subscription in subscriptions}
        losing = any(_may_lose(subscription, change, event_id) for subscription in subscriptions)
        async with self.database.read() as session:
            visible = await viewers_who_see(session, event_id, viewers)
            row = await get_event(session, event_id) if visible or losing else None
            if row is None:
                # Nothing to send, or the event is gone since this change: its DELETED
                # notice, which follows, decides then (no ACCESS_LOST before it).
                return
            matching: set[int] = set()
            for subscription in subscriptions:
                criteria = subscription.criteria
                if (
                    criteria is not None
                    and subscription.viewer_id in visible
                    and await event_matches(session, event_id, criteria)
                ):
                    matching.add(id(subscription))
        for subscription in subscriptions:
            sees = row is not None and subscription.viewer_id in visible
            if sees:
                subscription.gone.discard(event_id)
            if sees and (subscription.criteria is None or id(subscription) in matching):
                subscription.known.add(event_id)
                subscription.offer(Delivery(change.kind, event_id, row, change.at))
            elif not sees and _may_lose(subscription, change, event_id):
                subscription.known.discard(event_id)
                subscription.gone.add(event_id)
                subscription.offer(Delivery(ACCESS_LOST, event_id, None, change.at))

    async def _deleted(
        self, change: Change, event_id: uuid.UUID, subscriptions: list[Subscription]
    ) -> None:
        audience = change.audience
        allowed = None if audience is None else {uuid.UUID(user_id) for user_id in audience}
        for subscription in subscriptions:
            could_see = allowed is None or subscription.viewer_id in allowed
            told = event_id in subscription.known or subscription.criteria is None
            subscription.gone.discard(event_id)  # no id is ever reused
            if could_see and told:
                subscription.known.discard(event_id)
                subscription.offer(Delivery(DELETED, event_id, None, change.at))


def _may_lose(subscription: Subscription, change: Change, event_id: uuid.UUID) -> bool:
    """Whether `subscription` is owed an ACCESS_LOST if it cannot see the event after
    `change`: told about it here, or could see it until this change (a list loaded by
    query shows it), and not told it was lost already. Who never could see it hears
    nothing, not even its id."""
    return event_id not in subscription.gone and (
        event_id in subscription.known or change.could_see_before(subscription.viewer_id)
    )


@asynccontextmanager
async def running_hub(hub: LiveHub | None) -> AsyncIterator[None]:
    """Follow the change feed for the block's duration (None: nothing). Startup waits
    until the feed follows, so a change committed once the server answers reaches its
    subscribers."""
    if hub is None:
        yield
        return
    task = asyncio.create_task(hub.run())
    ready = asyncio.ensure_future(hub.feed.ready.wait())
    await asyncio.wait({ready, task}, timeout=READY_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    try:
        yield
    finally:
        # Cancelled until done: a library waiting inside may let one cancellation
        # pass (asyncpg's timeouts use wait_for, which can swallow it on Python 3.11).
        while not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        await asyncio.gather(task, return_exceptions=True)
