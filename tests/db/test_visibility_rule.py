"""The visibility rule exists twice, as SQL for lists (db/visibility.py) and as a
policy for one event (auth/event_policy.py): on every combination they agree."""

import itertools
import uuid

from sqlmodel import col, select

from auth.event_policy import can_see_event
from db.engine import Database
from db.event_access import access_for
from db.models import Event, EventHost, InviteAcceptance, Rsvp
from db.users import create_user
from db.visibility import audience_of, viewers_who_see, visible_to


async def test_policy_and_predicate_agree_on_every_case(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.write() as session:
            creator = (await create_user(session, "creator@example.com", "hash")).id
            viewer = (await create_user(session, "viewer@example.com", "hash")).id
            flags = (False, True)
            cases = list(
                itertools.product(
                    ("DRAFT", "PUBLISHED", "CANCELLED"), ("PUBLIC", "PRIVATE"), flags, flags, flags
                )
            )
            ids = []
            for status, visibility, host, invited, answered in cases:
                event = Event(title="x", creator_id=creator, status=status, visibility=visibility)
                session.add(event)
                await session.flush()
                session.add(EventHost(event_id=event.id, user_id=creator))
                if host:
                    session.add(EventHost(event_id=event.id, user_id=viewer))
                if invited:
                    session.add(InviteAcceptance(event_id=event.id, user_id=viewer))
                if answered:
                    session.add(Rsvp(event_id=event.id, user_id=viewer, status="MAYBE", arrival=1))
                ids.append(event.id)
        async with database.read() as session:
            listed = set(
                (await session.execute(select(col(Event.id)).where(visible_to(viewer)))).scalars()
            )
            access = await access_for(session, viewer, ids)
            # The live fan-out's form: many viewers of one event in one statement, and
            # who could see an event as it is deleted.
            stranger = uuid.uuid4()
            fanned_out = {
                ident
                for ident in ids
                if viewer in await viewers_who_see(session, ident, {viewer, creator, stranger})
            }
            creator_sees = [creator in await viewers_who_see(session, i, [creator]) for i in ids]
            audiences = [await audience_of(session, ident) for ident in ids]
    finally:
        await database.dispose()

    decided = {ident for ident in ids if can_see_event(access[ident])}
    assert listed == decided
    # And the rule itself, spelled out once more.
    for ident, (status, visibility, host, invited, answered) in zip(ids, cases, strict=True):
        expected = host or (status != "DRAFT" and (visibility == "PUBLIC" or invited or answered))
        assert (ident in listed) == expected, (status, visibility, host, invited, answered)
    assert uuid.uuid4() not in access
    assert fanned_out == listed
    assert all(creator_sees)
    for ident, audience in zip(ids, audiences, strict=True):
        if audience is None:  # everyone: exactly the published public events
            assert ident in listed
            continue
        assert (str(viewer) in audience) == (ident in listed)
        assert str(creator) in audience
