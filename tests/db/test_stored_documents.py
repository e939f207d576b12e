"""Stored documents on both databases: the APQ table stays within its bound, the
trusted table refuses an id that would change meaning."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from db.engine import Database
from db.stored_documents import (
    TrustedDocumentConflict,
    find_persisted_query,
    find_trusted_document,
    store_persisted_query,
    store_trusted_documents,
)

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def test_a_persisted_query_is_stored_once(db: Database) -> None:
    assert await store_persisted_query(db, "a" * 64, "{ a }", START, keep=10)
    assert not await store_persisted_query(db, "a" * 64, "{ a }", START, keep=10)
    assert await find_persisted_query(db, "a" * 64) == "{ a }"
    assert await find_persisted_query(db, "b" * 64) is None


async def test_the_oldest_persisted_queries_go_first(db: Database) -> None:
    for index in range(5):
        stored_at = START + timedelta(minutes=index)
        await store_persisted_query(db, f"{index:064d}", f"{{ q{index} }}", stored_at, keep=3)
    kept = [await find_persisted_query(db, f"{index:064d}") for index in range(5)]
    assert kept == [None, None, "{ q2 }", "{ q3 }", "{ q4 }"]


async def test_trusted_documents_are_added_and_kept(db: Database) -> None:
    assert await store_trusted_documents(db, {"one": "{ a }", "two": "{ b }"}, START) == 2
    assert await store_trusted_documents(db, {"two": "{ b }", "three": "{ c }"}, START) == 1
    assert await find_trusted_document(db, "three") == "{ c }"
    assert await find_trusted_document(db, "four") is None


async def test_an_id_cannot_change_its_document(db: Database) -> None:
    await store_trusted_documents(db, {"one": "{ a }"}, START)
    with pytest.raises(TrustedDocumentConflict):
        await store_trusted_documents(db, {"new": "{ n }", "one": "{ other }"}, START)
    # The whole manifest was refused.
    assert await find_trusted_document(db, "new") is None
    assert await find_trusted_document(db, "one") == "{ a }"
