from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from db.engine import Database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'unit.db'}")
    await db.create_tables()
    yield db
    await db.dispose()
