"""The hub's decisions on a real database (both kinds): one delivery per visible
subscriber, one ACCESS_LOST when visibility ends, and a bounded queue per subscription
that ends the subscription instead of growing."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from db.engine import Database
from db.events import create_event, delete_event, lock_event, update_event
from db.live_changes import DELETED, UPDATED, Change, changes_after, last_seq, record_change
from db.planning_values import Attendance
from db.rsvps import answer
from db.types import utc_now
from db.users import create_user
from graph.live_hub import ACCESS_LOST, OVERFLOW, Delivery, LiveConfig, LiveHub


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


async def _user(database: Database) -> uuid.UUID:
    async with database.write() as session:
        user = await create_user(session, f"{uuid.uuid4().hex}@example.com", "x")
        return user.id


async def _event(database: Database, creator: uuid.UUID, **values: object) -> uuid.UUID:
    async with database.write() as session:
        event = await create_event(session, creator, {"title": "An event", **values})
        return event.id


def _change(event_id: uuid.UUID) -> Change:
    return Change(seq=1, kind=UPDATED, event_id=event_id, user_id=None, at=utc_now())


async def test_a_change_is_recorded_only_if_its_transaction_commits(database: Database) -> None:
    async with database.read() as session:
        before = await last_seq(session)
    with pytest.raises(RuntimeError):
        async with database.write() as session:
            await record_change(session, UPDATED, event_id=uuid.uuid4())
            raise RuntimeError("rolled back")
    ada = await _user(database)
    event_id = await _event(database, ada)
    async with database.read() as session:
        recorded = await changes_after(session, before)
    assert [(change.kind, change.event_id) for change in recorded] == [("CREATED", event_id)]


async def test_deliveries_follow_visibility_and_access_lost_comes_once(database: Database) -> None:
    hub = LiveHub(database, LiveConfig())
    ada, bob = await _user(database), await _user(database)
    event_id = await _event(database, ada)
    with hub.subscribe(ada) as adas, hub.subscribe(bob) as bobs:
        await hub.dispatch(_change(event_id))
        for subscription in (adas, bobs):
            delivered = subscription.queue.get_nowait()
            assert isinstance(delivered, Delivery)
            assert (delivered.kind, delivered.event_id) == (UPDATED, event_id)
        async with database.write() as session:
            await update_event(session, event_id, {"status": "DRAFT"})
        for _ in range(2):
            await hub.dispatch(_change(event_id))
        lost = bobs.queue.get_nowait()
        assert isinstance(lost, Delivery)
        assert (lost.kind, lost.event) == (ACCESS_LOST, None)
        assert bobs.queue.empty()  # nothing more about it
        assert adas.queue.qsize() == 2


async def test_a_full_queue_ends_the_subscription_with_an_overflow(database: Database) -> None:
    hub = LiveHub(database, LiveConfig(queue_size=2))
    ada = await _user(database)
    event_id = await _event(database, ada)
    with hub.subscribe(ada, event_id=event_id) as subscription:
        for _ in range(3):
            await hub.dispatch(_change(event_id))
        assert subscription.ended
        assert subscription.queue.get_nowait() is OVERFLOW
        assert subscription.queue.empty()
        await hub.dispatch(_change(event_id))
        assert subscription.queue.empty()


async def test_access_lost_goes_to_who_could_see_it_before_once(database: Database) -> None:
    """Also when the notification could not carry who lost access (too many for its
    payload) and the hub reads it back from the change's row."""
    hub = LiveHub(database, LiveConfig())
    ada, bob, carol = await _user(database), await _user(database), await _user(database)
    event_id = await _event(database, ada)
    async with database.write() as session:
        event = await lock_event(session, event_id)
        assert event is not None
        await answer(session, event, bob, Attendance.MAYBE, utc_now())
    async with database.write() as session:
        await update_event(session, event_id, {"visibility": "PRIVATE"})  # bob answered
    async with database.read() as session:
        since = await last_seq(session)
    async with database.write() as session:
        await update_event(session, event_id, {"status": "DRAFT"})
    async with database.read() as session:
        (drafted,) = await changes_after(session, since)
    assert drafted.lost_access == {str(bob)} and not drafted.public_before
    # Neither subscription has heard of the event: bob could see it, carol never could.
    with hub.subscribe(bob) as bobs, hub.subscribe(carol) as carols:
        await hub.dispatch(replace(drafted, details_known=False, lost_access=frozenset()))
        await hub.dispatch(drafted)
        lost = bobs.queue.get_nowait()
        assert isinstance(lost, Delivery)
        assert (lost.kind, lost.event_id, lost.event) == (ACCESS_LOST, event_id, None)
        assert bobs.queue.empty()  # once
        assert carols.queue.empty()


async def test_a_change_read_after_its_event_was_deleted_leaves_it_to_the_deletion(
    database: Database,
) -> None:
    """Decided on delivery: an edit dispatched once the event is gone sends nothing (no
    ACCESS_LOST), and the DELETED notice that follows it is the one message."""
    hub = LiveHub(database, LiveConfig())
    ada = await _user(database)
    event_id = await _event(database, ada)
    async with database.read() as session:
        since = await last_seq(session)
    async with database.write() as session:
        await update_event(session, event_id, {"status": "DRAFT"})
    async with database.write() as session:
        assert await delete_event(session, event_id)
    async with database.read() as session:
        drafted, deleted = await changes_after(session, since)
    assert drafted.public_before
    with hub.subscribe(ada, event_id=event_id) as one, hub.subscribe(ada) as every:
        for change in (drafted, deleted):
            await hub.dispatch(change)
        for subscription in (one, every):
            delivered = subscription.queue.get_nowait()
            assert isinstance(delivered, Delivery)
            assert (delivered.kind, delivered.event) == (DELETED, None)
            assert subscription.queue.empty()
