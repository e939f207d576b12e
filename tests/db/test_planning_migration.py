"""The planning revision upgrades a database that holds data (made at the previous
head): events become PUBLIC and PUBLISHED, creators their events' first hosts, users get
a display name that reveals nothing of their email. On SQLite and on PostgreSQL."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from db.engine import Database
from db.migrations import alembic_config, schema_state, upgrade_to_head

PREVIOUS_HEAD = "fb22ab474de2"

# The tables as they were at PREVIOUS_HEAD (only the columns written here).
_users = sa.table(
    "user_account",
    sa.column("id", sa.Uuid()),
    sa.column("email", sa.String()),
    sa.column("password_hash", sa.String()),
    sa.column("token_version", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_events = sa.table(
    "event",
    sa.column("id", sa.Uuid()),
    sa.column("title", sa.String()),
    sa.column("description", sa.String()),
    sa.column("tags", sa.JSON()),
    sa.column("location", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("creator_id", sa.Uuid()),
)


def _upgrade_to(revision: str) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    return run


def _downgrade_to(revision: str) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    return run


async def test_upgrade_keeps_existing_events_and_users_working(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    ann, bob = uuid.uuid4(), uuid.uuid4()
    events = {uuid.uuid4(): ann, uuid.uuid4(): ann, uuid.uuid4(): bob}
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    try:
        async with database.begin_write() as connection:
            await connection.run_sync(_upgrade_to(PREVIOUS_HEAD))
        async with database.begin_write() as connection:
            await connection.execute(
                _users.insert(),
                [
                    {
                        "id": ident,
                        "email": f"{name}.secret@example.com",
                        "password_hash": "x",
                        "token_version": 0,
                        "created_at": now,
                    }
                    for ident, name in ((ann, "ann"), (bob, "bob"))
                ],
            )
            await connection.execute(
                _events.insert(),
                [
                    {
                        "id": ident,
                        "title": "Old",
                        "description": "",
                        "tags": [],
                        "location": "",
                        "created_at": now,
                        "updated_at": now,
                        "creator_id": creator,
                    }
                    for ident, creator in events.items()
                ],
            )

        await upgrade_to_head(database)

        assert (await schema_state(database)).is_current
        async with database.connect() as connection:
            rows = (
                await connection.execute(sa.text("SELECT visibility, status, capacity FROM event"))
            ).all()
            hosts = (
                await connection.execute(sa.text("SELECT event_id, user_id FROM event_host"))
            ).all()
            names: dict[object, str] = dict(
                (
                    await connection.execute(sa.text("SELECT id, display_name FROM user_account"))
                ).all()
            )
        # And back: the downgrade drops the new columns in place, keeping every row.
        async with database.begin_write() as connection:
            await connection.run_sync(_downgrade_to(PREVIOUS_HEAD))
        async with database.connect() as connection:
            left = (await connection.execute(sa.text("SELECT count(*) FROM event"))).scalar_one()
    finally:
        await database.dispose()

    assert left == 3
    assert sorted(tuple(row) for row in rows) == [("PUBLIC", "PUBLISHED", None)] * 3
    assert {(uuid.UUID(str(e)), uuid.UUID(str(u))) for e, u in hosts} == set(events.items())
    by_id = {uuid.UUID(str(ident)): name for ident, name in names.items()}
    assert by_id[ann] == f"Member {ann.hex[:6]}"
    assert by_id[bob] == f"Member {bob.hex[:6]}"
    for name in by_id.values():
        assert "ann" not in name and "bob" not in name and "@" not in name
