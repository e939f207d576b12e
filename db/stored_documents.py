"""Reads and writes of stored GraphQL documents (db/document_models.py)."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from db.document_models import PersistedQuery, TrustedDocument
from db.engine import Database


class TrustedDocumentConflict(ValueError):
    """A manifest gives an id that already names a different document."""

    def __init__(self, document_id: str) -> None:
        super().__init__(f"trusted document {document_id!r} is already loaded with other text")
        self.document_id = document_id


async def find_persisted_query(database: Database, sha256: str) -> str | None:
    async with database.connect() as connection:
        result = await connection.execute(
            select(col(PersistedQuery.document)).where(col(PersistedQuery.sha256) == sha256)
        )
        return result.scalar_one_or_none()


async def store_persisted_query(
    database: Database, sha256: str, document: str, now: datetime, keep: int
) -> bool:
    """Stores the document unless another request or instance did; then keeps only
    the `keep` newest rows. True when this call added the row."""
    insert = (sqlite.insert if database.is_sqlite else postgresql.insert)(PersistedQuery)
    async with database.write() as session:
        added = await session.execute(
            insert.values(sha256=sha256, document=document, stored_at=now).on_conflict_do_nothing()
        )
        if getattr(added, "rowcount", 0) != 1:
            return False
        newest = (
            select(col(PersistedQuery.sha256))
            .order_by(col(PersistedQuery.stored_at).desc(), col(PersistedQuery.sha256))
            .limit(keep)
        )
        await session.execute(
            delete(PersistedQuery).where(col(PersistedQuery.sha256).not_in(newest))
        )
    return True


async def find_trusted_document(database: Database, document_id: str) -> str | None:
    async with database.connect() as connection:
        result = await connection.execute(
            select(col(TrustedDocument.document)).where(col(TrustedDocument.id) == document_id)
        )
        return result.scalar_one_or_none()


async def store_trusted_documents(
    database: Database, documents: Mapping[str, str], now: datetime
) -> int:
    """Adds the documents not loaded yet, in one transaction; the number added.
    An id already loaded with other text refuses the whole manifest."""
    async with database.write() as session:
        result = await session.execute(
            select(col(TrustedDocument.id), col(TrustedDocument.document)).where(
                col(TrustedDocument.id).in_(list(documents))
            )
        )
        loaded = {row[0]: row[1] for row in result}
        for document_id, text in loaded.items():
            if documents[document_id] != text:
                raise TrustedDocumentConflict(document_id)
        new = [
            TrustedDocument(id=document_id, document=text, loaded_at=now)
            for document_id, text in documents.items()
            if document_id not in loaded
        ]
        session.add_all(new)
    return len(new)
