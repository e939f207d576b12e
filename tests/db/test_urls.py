"""DATABASE_URL as operators write it becomes the async driver's URL."""

import pytest

from db.urls import async_database_url, is_postgresql, is_sqlite


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgresql://app@db.internal:5432/planner",
            "postgresql+asyncpg://app@db.internal:5432/planner",
        ),
        (
            "postgres://app:pw@db.internal/planner",
            "postgresql+asyncpg://app:pw@db.internal/planner",
        ),
        ("POSTGRES://app@db/planner", "postgresql+asyncpg://app@db/planner"),
        ("postgresql+asyncpg://app@db/planner", "postgresql+asyncpg://app@db/planner"),
        ("postgresql+psycopg://app@db/planner", "postgresql+psycopg://app@db/planner"),
        ("sqlite:///var/lib/planner.db", "sqlite+aiosqlite:///var/lib/planner.db"),
        ("sqlite+aiosqlite:///planner.db", "sqlite+aiosqlite:///planner.db"),
    ],
)
def test_driver_is_picked(given: str, expected: str) -> None:
    assert async_database_url(given).render_as_string(hide_password=False) == expected


def test_libpq_sslmode_becomes_asyncpg_ssl() -> None:
    url = async_database_url("postgresql://app@db/planner?sslmode=require&application_name=x")
    assert dict(url.query) == {"ssl": "require", "application_name": "x"}


def test_kinds() -> None:
    assert is_postgresql(async_database_url("postgres://app@db/planner"))
    assert is_sqlite(async_database_url("sqlite:///planner.db"))


def test_a_url_without_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        async_database_url("db.internal:5432/planner")


def test_an_absolute_sqlite_path_keeps_its_slashes() -> None:
    assert async_database_url("sqlite:////abs/path/planner.db").database == "/abs/path/planner.db"
