"""db/statement_count.py: every query a database runs meanwhile, transaction control
left out (so SQLite and PostgreSQL count alike), and nothing after the block."""

import uuid

from db.engine import Database
from db.statement_count import counted_statements
from db.users import create_user, find_user_by_id, get_user


async def test_queries_are_counted_and_transaction_control_is_not(database: Database) -> None:
    with counted_statements(database) as statements:
        async with database.write() as session:
            user = await create_user(session, "ann@example.com", "hash")
        async with database.read() as session:
            assert await get_user(session, user.id) is not None
    assert [statement.split()[0].upper() for statement in statements] == ["INSERT", "SELECT"]


async def test_the_sqlite_loop_reader_is_counted_too(database: Database) -> None:
    with counted_statements(database) as statements:
        assert await find_user_by_id(database, uuid.uuid4()) is None
    assert len(statements) == 1, statements


async def test_nothing_is_counted_after_the_block(database: Database) -> None:
    with counted_statements(database) as statements:
        pass
    await find_user_by_id(database, uuid.uuid4())
    async with database.read() as session:
        await get_user(session, uuid.uuid4())
    assert statements == []
