"""DATABASE_URL as operators write it, turned into the async driver URL."""

from sqlalchemy.engine import URL, make_url

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


def async_database_url(url: str) -> URL:
    """`sqlite:///planner.db` -> `sqlite+aiosqlite:///planner.db`, and likewise for
    `postgres://` / `postgresql://`. A URL that already names a driver is kept."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("DATABASE_URL must look like sqlite:///path or postgresql://host/db")
    driver = _ASYNC_DRIVERS.get(scheme.lower(), scheme)
    return make_url(f"{driver}://{rest}")


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"
