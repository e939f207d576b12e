import pytest

from db.urls import async_database_url


@pytest.mark.parametrize(
    ("written", "driver"),
    [
        ("sqlite:///planner.db", "sqlite+aiosqlite"),
        ("sqlite:////abs/path/planner.db", "sqlite+aiosqlite"),
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql+asyncpg"),
        ("postgres://postgres@127.0.0.1/test", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u@h/d", "postgresql+asyncpg"),
    ],
)
def test_the_async_driver_is_picked(written: str, driver: str) -> None:
    url = async_database_url(written)
    assert url.drivername == driver
    assert url.database == written.rsplit("/", 1)[-1] or url.database


def test_a_path_keeps_its_slashes() -> None:
    assert async_database_url("sqlite:////abs/path/planner.db").database == "/abs/path/planner.db"


def test_not_a_url() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        async_database_url("planner.db")
