"""Automatic persisted queries (Apollo's APQ protocol): storage.

A client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the
query; if the server has no document under that hash the client sends it again with
the query, and the server stores it. graph/documents.py speaks the protocol; this
module keeps the documents: in a per-worker memory bounded by size (least recently
used out first), and in the database table that every instance shares.
"""

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from db.engine import Database
from db.stored_documents import find_persisted_query, store_persisted_query
from db.types import utc_now

logger = logging.getLogger("planner.persisted_queries")


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class PersistedQuerySettings:
    enabled: bool = True
    # Characters of documents kept in each worker's memory.
    memory_chars: int = 8 * 1024 * 1024
    # Rows kept in the shared table; the oldest go first.
    max_stored: int = 5_000
    # Longer documents run but are not stored (APQ is for an app's own operations,
    # which are far smaller), so the table's size stays bounded by max_stored times this.
    max_document_chars: int = 64 * 1024


class BoundedDocuments:
    """hash -> document, least recently used out first once over `max_chars`."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self._documents: OrderedDict[str, str] = OrderedDict()

    def get(self, key: str) -> str | None:
        document = self._documents.get(key)
        if document is not None:
            self._documents.move_to_end(key)
        return document

    def put(self, key: str, document: str) -> None:
        if len(document) > self.max_chars:
            return
        previous = self._documents.pop(key, None)
        if previous is not None:
            self.chars -= len(previous)
        self._documents[key] = document
        self.chars += len(document)
        while self.chars > self.max_chars:
            _, evicted = self._documents.popitem(last=False)
            self.chars -= len(evicted)

    def __len__(self) -> int:
        return len(self._documents)


class PersistedQueryStore:
    def __init__(
        self,
        database: Database,
        settings: PersistedQuerySettings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock
        self.memory = BoundedDocuments(settings.memory_chars)

    async def get(self, sha256: str) -> str | None:
        document = self.memory.get(sha256)
        if document is None:
            document = await find_persisted_query(self.database, sha256)
            if document is not None:
                self.memory.put(sha256, document)
        return document

    async def put(self, sha256: str, document: str) -> None:
        """Stores a document that parsed and validated. A failed write is logged, not
        raised: the operation has run, and the client sends the document again."""
        if len(document) > self.settings.max_document_chars or self.memory.get(sha256):
            return
        self.memory.put(sha256, document)
        try:
            await store_persisted_query(
                self.database, sha256, document, self.clock(), self.settings.max_stored
            )
        except Exception:  # the database is the shared copy; memory still serves this worker
            logger.warning("could not store persisted query %s", sha256, exc_info=True)
