"""The SQLite engine with fewer thread hand-offs still commits, rolls back and reads."""

import pytest

from db.users import create_user, get_user_by_email


class Boom(Exception):
    pass


async def test_a_failed_write_rolls_back_and_a_good_one_commits(database):
    with pytest.raises(Boom):
        async with database.write() as session:
            await create_user(session, "gone@example.com", "hash")
            raise Boom()
    async with database.write() as session:
        await create_user(session, "kept@example.com", "hash")

    async with database.read() as session:
        assert await get_user_by_email(session, "gone@example.com") is None
        kept = await get_user_by_email(session, "kept@example.com")
    assert kept is not None and kept.email == "kept@example.com"


async def test_connections_go_back_to_the_pool_without_an_open_transaction(database):
    for _ in range(3):
        async with database.read() as session:
            await get_user_by_email(session, "nobody@example.com")
        async with database.write() as session:
            await create_user(session, f"u{_}@example.com", "hash")

    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert raw.driver_connection is not None
        assert not raw.driver_connection._conn.in_transaction
