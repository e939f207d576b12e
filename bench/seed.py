"""Bench data, written in bulk through the app's own tables (so types and formats match)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from auth.passwords import PasswordHasher
from db.engine import Database
from db.migrations import upgrade_to_head
from db.models import Event, EventHost, User

PASSWORD = "bench password 123"  # noqa: S105 (seeded bench accounts only)
BATCH = 5_000
VIEWER_EMAIL = "viewer@bench.example"


@dataclass(frozen=True)
class Seeded:
    viewer_email: str
    sign_in_emails: list[str]
    events: int


async def seed(database_url: str, *, users: int, events: int, bcrypt_rounds: int) -> Seeded:
    """`users` creators plus one viewer who creates nothing (so every creator on a page
    comes from the dataloader's batch, never from the viewer primed by authentication).
    Events are one second apart, newest first, creators in rotation, each creator its
    event's host (as createEvent makes them); start times are spread over the coming
    months in an order unrelated to creation, for the STARTS_SOONEST pages."""
    database = Database(database_url)
    try:
        await upgrade_to_head(database)  # the servers refuse a schema that is behind
        password_hash = await PasswordHasher(rounds=bcrypt_rounds).hash(PASSWORD)
        now = datetime.now(UTC)
        emails = [f"creator{i}@bench.example" for i in range(users)]
        user_rows: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "email": email,
                "password_hash": password_hash,
                "display_name": f"Bench person {n}",
                "created_at": now,
            }
            for n, email in enumerate([VIEWER_EMAIL, *emails])
        ]
        creators = [row["id"] for row in user_rows[1:]]
        async with database.write() as session:
            await session.execute(insert(User), user_rows)
        for start in range(0, events, BATCH):
            rows = [
                _event(i, creators[i % len(creators)], now, events)
                for i in range(start, min(events, start + BATCH))
            ]
            hosts = [
                {"event_id": row["id"], "user_id": row["creator_id"], "added_at": row["created_at"]}
                for row in rows
            ]
            async with database.write() as session:
                await session.execute(insert(Event), rows)
                await session.execute(insert(EventHost), hosts)
        return Seeded(VIEWER_EMAIL, emails[:20], events)
    finally:
        await database.dispose()


def _event(i: int, creator: uuid.UUID, now: datetime, events: int) -> dict[str, object]:
    created = now - timedelta(seconds=i)
    # A permutation of 0..events-1 (7919 is prime, so coprime with any count it does not divide).
    start_minute = (i * 7919) % events
    return {
        "id": uuid.uuid4(),
        "title": f"Bench event {i}",
        "description": "A benchmark event with a modest description.",
        "image": None,
        "tags": ["bench", f"tag{i % 10}"],
        "location": "Loopback",
        "starts_at": now + timedelta(minutes=start_minute),
        "created_at": created,
        "updated_at": created,
        "creator_id": creator,
    }
