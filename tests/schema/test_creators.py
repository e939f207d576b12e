"""schema/creators.py: preload_users reads only what the request has not loaded yet, in
one query, and leaves it in user_by_id's cache (on both databases)."""

import uuid

from db.engine import Database
from db.statement_count import counted_statements
from db.users import create_user
from graph.loaders import Loaders
from schema.creators import preload_users


async def _users(database: Database, count: int) -> list[uuid.UUID]:
    async with database.write() as session:
        return [(await create_user(session, f"u{i}@example.com", "hash")).id for i in range(count)]


async def test_users_reads_the_missing_ones_once_and_primes_the_loader(database_url: str) -> None:
    database = Database(database_url)
    try:
        known, first, second = await _users(database, 3)
        loaders = Loaders(database)
        assert (await loaders.user_by_id.load(known)) is not None
        gone = uuid.uuid4()

        with counted_statements(database) as statements:
            found = await preload_users(loaders.user_by_id, [first, known, second, first, gone])
        with counted_statements(database) as later:
            again = await loaders.user_by_id.load(second)

        assert set(found) == {known, first, second}  # an unknown id is simply absent
        assert found[second].email == "u2@example.com"
        assert len(statements) == 1, statements  # `known` came from the loader's cache
        assert again == found[second] and later == []
    finally:
        await database.dispose()
