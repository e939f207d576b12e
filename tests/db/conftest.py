from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from db.engine import Database
from tests import databases


@pytest.fixture
async def database(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Database]:
    """A migrated SQLite file of this test's own: the schema the app runs on."""
    db = Database(databases.sqlite_copy(sqlite_template, tmp_path))
    yield db
    await db.dispose()
