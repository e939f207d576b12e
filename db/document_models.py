"""Tables of stored GraphQL documents: automatic persisted queries (registered by any
client, bounded) and trusted documents (loaded by an operator from a manifest).

Imported at the end of db/models.py, so they register on SQLModel.metadata wherever
the other tables do. Two tables, not one with a flag: pruning the first can never
touch the second, and nothing a client sends can write to the second.
"""

from datetime import datetime

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utc_now


class PersistedQuery(SQLModel, table=True):
    """A document a client registered under its SHA-256 (Apollo's APQ protocol),
    shared by every instance. Only documents that parsed and validated are stored."""

    __tablename__ = "persisted_query"
    # The oldest rows go first when the table is over its bound.
    __table_args__ = (Index("ix_persisted_query_stored_at", "stored_at"),)

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    document: str = Field(sa_column=Column(Text, nullable=False))
    stored_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )


class TrustedDocument(SQLModel, table=True):
    """An operation a frontend ships, by the id its manifest gives it (a hash)."""

    __tablename__ = "trusted_document"

    id: str = Field(sa_column=Column(String(256), primary_key=True))
    document: str = Field(sa_column=Column(Text, nullable=False))
    loaded_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(UTCDateTime, nullable=False)
    )
