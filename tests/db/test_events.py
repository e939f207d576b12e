"""db/events.py on a real SQLite file, without GraphQL."""

import uuid

from sqlmodel import col, select

from db.engine import Database
from db.events import (
    EventCriteria,
    count_events,
    create_event,
    delete_event,
    get_event,
    list_events,
    update_event,
)
from db.models import EventTag, User
from db.pagination import Keyset
from db.users import create_user


async def make_user(database: Database, email: str = "a@example.com") -> uuid.UUID:
    async with database.write() as session:
        return (await create_user(session, email, "hash")).id


async def test_keyset_pages_cover_everything_once(database: Database) -> None:
    creator = await make_user(database)
    async with database.write() as session:
        ids = [(await create_event(session, creator, {"title": f"e{i}"})).id for i in range(7)]
    seen, after = [], None
    while True:
        async with database.read() as session:
            page = await list_events(session, EventCriteria(viewer_id=creator), 3, after)
        seen += [event.id for event in page.events]
        if not page.has_next_page:
            break
        last = page.events[-1]
        after = Keyset(last.created_at, last.id)
    assert seen == list(reversed(ids))


async def test_tags_index_follows_updates_and_deletes(database: Database) -> None:
    creator = await make_user(database)
    async with database.write() as session:
        event = await create_event(session, creator, {"title": "t", "tags": ["a", "b"]})
    async with database.write() as session:
        await update_event(session, event.id, {"tags": ["b", "c"]})
    async with database.read() as session:
        rows = await session.execute(select(EventTag.tag).where(col(EventTag.event_id) == event.id))
        assert sorted(rows.scalars()) == ["b", "c"]
        assert await count_events(session, EventCriteria(viewer_id=creator, tag="a")) == 0
        assert await count_events(session, EventCriteria(viewer_id=creator, tag="c")) == 1
    async with database.write() as session:
        assert await delete_event(session, event.id) is True
        assert await delete_event(session, event.id) is False
    async with database.read() as session:
        rows = await session.execute(select(EventTag).where(col(EventTag.event_id) == event.id))
        assert rows.first() is None


async def test_update_of_a_missing_event(database: Database) -> None:
    async with database.write() as session:
        assert await update_event(session, uuid.uuid4(), {"title": "x"}) is None


async def test_deleting_a_user_deletes_their_events(database: Database) -> None:
    creator = await make_user(database)
    async with database.write() as session:
        event = await create_event(session, creator, {"title": "t", "tags": ["x"]})
    async with database.write() as session:
        user = await session.get(User, creator)
        await session.delete(user)
    async with database.read() as session:
        assert await get_event(session, event.id) is None
