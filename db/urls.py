"""DATABASE_URL as operators write it, turned into the async driver URL."""

from sqlalchemy.engine import URL, make_url

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


def async_database_url(url: str) -> URL:
    """`sqlite:///planner.db` -> `sqlite+aiosqlite:///planner.db`, and likewise for
    `postgres://` / `postgresql://`. A URL that already names a driver is kept
    (`postgresql+psycopg://` selects psycopg 3 when it is installed)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("DATABASE_URL must look like sqlite:///path or postgresql://host/db")
    driver = _ASYNC_DRIVERS.get(scheme.lower(), scheme)
    parsed = make_url(f"{driver}://{rest}")
    if parsed.drivername == "postgresql+asyncpg":
        return _libpq_to_asyncpg(parsed)
    return parsed


def _libpq_to_asyncpg(url: URL) -> URL:
    """Operators copy libpq URLs (`?sslmode=require`); asyncpg spells that `ssl` and
    rejects the libpq name, so the setting would otherwise fail at connect time."""
    if "sslmode" not in url.query:
        return url
    query = dict(url.query)
    query.setdefault("ssl", query.pop("sslmode"))
    query.pop("sslmode", None)
    return url.set(query=query)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> str | None:
    """The path of the SQLite file `url` names; None for in-memory SQLite and for
    other databases."""
    if not is_sqlite(url) or url.database in (None, "", ":memory:"):
        return None
    return url.database


def is_postgresql(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"
