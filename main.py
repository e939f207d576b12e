"""Composition root: settings, the FastAPI app factory, and the command line."""

import argparse
import asyncio
import gc
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from auth.accounts import Accounts, SessionSettings
from auth.housekeeping import periodic_purge
from auth.passwords import PasswordHasher
from auth.throttle import ThrottleSettings
from auth.tokens import TokenSettings
from db.engine import Database, PoolSettings
from db.migrations import DatabaseBehind, ensure_schema_current, upgrade_to_head
from db.types import utc_now
from graph.bench_rest import create_bench_router
from graph.cors import cors_options
from graph.limits import QueryLimits
from graph.oauth import create_oauth_router
from graph.request_guard import GraphQLRequestGuard
from graph.request_log import RequestLogMiddleware, with_planner_loggers
from graph.router import create_graphql_router
from graph.services import Services
from schema import build_schema, schema

PROJECT_DIR = Path(__file__).resolve().parent
MIN_SECRET_BYTES = 32
HEALTH_TIMEOUT_SECONDS = 3.0
# The collector's first threshold for a serving process (Python's default is 700).
SERVING_GC_THRESHOLD = 5_000
# Keys that appear in docs, examples and tests: public, so never a production secret.
KNOWN_DEVELOPMENT_KEYS = frozenset(
    {
        "test-secret-key-that-is-long-enough-0123456789",
        "change-me-to-a-long-random-secret-key-of-32-bytes",
        "development-secret-key-not-for-production-use",
        "secret" * 6,
        "changeme" * 4,
    }
)


class Settings(BaseSettings):
    """Read once from the environment or ./.env (names are case-insensitive)."""

    model_config = SettingsConfigDict(env_file=PROJECT_DIR / ".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    database_url: str = f"sqlite:///{PROJECT_DIR / 'planner.db'}"
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout: float = Field(default=10.0, gt=0)
    db_pool_recycle: int = Field(default=1800, ge=-1)
    db_pool_pre_ping: bool = True
    db_connect_timeout: float = Field(default=5.0, gt=0)
    db_command_timeout: float = Field(default=30.0, gt=0)
    secret_key: str | None = None
    # Where the development secret is kept between restarts (never committed).
    secret_key_file: Path = PROJECT_DIR / ".secret_key"
    access_token_expire_minutes: int = Field(default=30, ge=1)
    jwt_issuer: str = "planner"
    jwt_audience: str = "planner"
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)
    graphiql: bool | None = None
    # Token lifecycle (see README, "Staying signed in").
    refresh_token_expire_days: int = Field(default=14, ge=1)
    # Comma-separated keys that still verify tokens after SECRET_KEY was rotated.
    previous_secret_keys: str = ""
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    login_address_max_failures_per_minute: int = Field(default=30, ge=1)
    # Proxies whose X-Forwarded-For is believed (comma-separated IPs or networks, "*"
    # for any); empty: the TCP peer is the client.
    forwarded_allow_ips: str = ""
    # Expired refresh tokens are purged at startup and then this often (0: only by
    # `python main.py purge-tokens`).
    purge_interval_seconds: int = Field(default=3600, ge=0)
    # Limits (OWASP GraphQL Cheat Sheet); see graph/limits.py.
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=0)
    max_tokens: int = Field(default=2000, ge=1)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # Not below `first`'s default of 20, which would make the default page invalid.
    max_page_size: int = Field(default=100, ge=20)
    graphql_cache_size: int = Field(default=256, ge=1)
    introspection: bool | None = None
    # Comma-separated origins (scheme://host[:port]) browsers may call the API from.
    cors_origins: str = ""
    # Benchmark-only switches (`make bench`): a plain REST twin of the events query
    # and authentication switched off. Never in production (see check_bench_settings).
    bench_mode: bool = False
    bench_auth_off: bool = False

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def dev_default(self, value: bool | None) -> bool:
        """An explicit setting, else on everywhere but production."""
        return value if value is not None else not self.is_production

    def query_limits(self) -> QueryLimits:
        return QueryLimits(
            max_depth=self.max_query_depth,
            max_aliases=self.max_aliases,
            max_tokens=self.max_tokens,
            max_body_bytes=self.max_body_bytes,
            max_page_size=self.max_page_size,
            cache_size=self.graphql_cache_size,
            introspection=self.dev_default(self.introspection),
            suggestions=not self.is_production,
        )


class ConfigurationError(RuntimeError):
    pass


def resolve_secret_key(settings: Settings) -> str:
    """SECRET_KEY, or in development a generated one persisted so that tokens stay
    valid across restarts. Outside development a missing or short key is refused."""
    if settings.secret_key is not None:
        if not settings.is_development and len(settings.secret_key.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes")
        if settings.is_production and settings.secret_key in KNOWN_DEVELOPMENT_KEYS:
            raise ConfigurationError("SECRET_KEY is a known development value")
        return settings.secret_key
    if not settings.is_development:
        raise ConfigurationError("SECRET_KEY is required outside development")
    path = settings.secret_key_file
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key


def check_bench_settings(settings: Settings) -> None:
    if (settings.bench_mode or settings.bench_auth_off) and settings.environment == "production":
        raise ConfigurationError("BENCH_MODE and BENCH_AUTH_OFF are refused in production")
    if settings.bench_auth_off and not settings.bench_mode:
        raise ConfigurationError("BENCH_AUTH_OFF needs BENCH_MODE")


def previous_keys(settings: Settings) -> tuple[str, ...]:
    return tuple(key.strip() for key in settings.previous_secret_keys.split(",") if key.strip())


def build_database(settings: Settings) -> Database:
    return Database(
        settings.database_url,
        PoolSettings(
            size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            timeout_seconds=settings.db_pool_timeout,
            recycle_seconds=settings.db_pool_recycle,
            pre_ping=settings.db_pool_pre_ping,
            connect_timeout_seconds=settings.db_connect_timeout,
            command_timeout_seconds=settings.db_command_timeout,
        ),
    )


def build_services(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Services:
    database = build_database(settings)
    tokens = TokenSettings(
        secret_key=resolve_secret_key(settings),
        access_ttl=timedelta(minutes=settings.access_token_expire_minutes),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        previous_keys=previous_keys(settings),
    )
    hasher = PasswordHasher(rounds=settings.bcrypt_rounds)
    sessions = SessionSettings(
        refresh_ttl=timedelta(days=settings.refresh_token_expire_days),
        throttle=ThrottleSettings(
            max_failures=settings.login_max_failures,
            window=timedelta(seconds=settings.login_window_seconds),
            address_max_failures_per_minute=settings.login_address_max_failures_per_minute,
        ),
    )
    accounts = Accounts(database, hasher, tokens, clock=clock, sessions=sessions)
    return Services(database=database, accounts=accounts, limits=settings.query_limits())


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
) -> FastAPI:
    """`clock` is what tokens and the sign-in throttle take as now (tests move it)."""
    settings = settings or Settings()
    check_bench_settings(settings)
    services = build_services(settings, clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            # Refuse to serve a schema older than the code (DatabaseBehind says why).
            await ensure_schema_current(services.database)
        except BaseException:
            await services.database.dispose()
            raise
        async with periodic_purge(services.accounts, settings.purge_interval_seconds):
            yield
        await services.database.dispose()

    app = FastAPI(title="Planner", lifespan=lifespan)
    app.state.services = services
    graphiql = settings.dev_default(settings.graphiql)
    app_schema = build_schema(services.limits)
    app.state.schema = app_schema
    auth_required = not settings.bench_auth_off
    app.include_router(
        create_graphql_router(app_schema, services, graphiql=graphiql, auth_required=auth_required)
    )
    if settings.bench_mode:
        app.include_router(create_bench_router(services, auth_required=auth_required))
    app.include_router(create_oauth_router(services))
    # Added innermost first: the request log wraps everything, CORS answers preflights
    # before the body checks, the guard refuses before GraphQL parses.
    app.add_middleware(GraphQLRequestGuard, max_body_bytes=settings.max_body_bytes)
    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    app.add_middleware(
        CORSMiddleware, **cors_options(origins, allow_localhost=not settings.is_production)
    )
    app.add_middleware(RequestLogMiddleware)
    if settings.forwarded_allow_ips.strip():
        # The client address (sign-in throttling) comes from X-Forwarded-For only when
        # the TCP peer is one of these proxies. Done here, not by uvicorn's own flag,
        # so it holds under any server; `serve` turns uvicorn's off.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        try:
            await asyncio.wait_for(services.database.ping(), HEALTH_TIMEOUT_SECONDS)
        except Exception:  # any failure means "not ready"; details stay in the server
            return JSONResponse({"status": "unavailable", "database": "unavailable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok"})

    return app


def create_served_app() -> FastAPI:
    """What `serve` runs in each worker: create_app(), with the garbage collector tuned
    for a long-running server.

    Modules, schema and app live as long as the process; gc.freeze() takes them out of
    the collector's generations, so its full collections stop walking them. A request
    allocates thousands of short-lived objects that reference counting frees; at the
    default threshold (700) the collector ran several times a request. Measured on the
    bench's events query: ~0.7 ms of collection per request before, ~0.2 ms after.
    """
    app = create_app()
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(SERVING_GC_THRESHOLD, second, third)
    return app


def export_schema(path: Path) -> None:
    path.write_text(schema.as_str() + "\n")


async def purge_tokens(settings: Settings) -> tuple[int, int]:
    services = build_services(settings)
    try:
        return await services.accounts.purge_expired()
    finally:
        await services.database.dispose()


async def migrate(settings: Settings) -> None:
    database = build_database(settings)
    try:
        await upgrade_to_head(database)
    finally:
        await database.dispose()


async def check_schema(settings: Settings) -> None:
    database = build_database(settings)
    try:
        await ensure_schema_current(database)
    finally:
        await database.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="main.py", description="The Planner API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    commands.add_parser("migrate", help="upgrade the database schema to the latest revision")
    serve.add_argument(
        "--no-access-log", action="store_true", help="no request log lines (benchmarks)"
    )
    export = commands.add_parser("export-schema", help="write the SDL to schema/schema.graphql")
    export.add_argument("--output", type=Path, default=PROJECT_DIR / "schema" / "schema.graphql")
    commands.add_parser(
        "purge-tokens", help="delete expired refresh tokens and stale sign-in failures"
    )
    args = parser.parse_args(argv)

    if args.command == "export-schema":
        export_schema(args.output)
        return
    if args.command == "purge-tokens":
        tokens, failures = asyncio.run(purge_tokens(Settings()))
        print(f"purged {tokens} expired refresh tokens, {failures} old sign-in failures")
        return
    if args.command == "migrate":
        asyncio.run(migrate(Settings()))
        return
    import uvicorn
    import uvicorn.config

    settings = Settings()
    resolve_secret_key(settings)  # fail fast, before workers start, on a bad key
    try:  # and on a database that is behind, with just the message
        asyncio.run(check_schema(settings))
    except DatabaseBehind as error:
        raise SystemExit(str(error)) from None
    check_bench_settings(settings)
    uvicorn.run(
        "main:create_served_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        proxy_headers=False,  # create_app applies FORWARDED_ALLOW_IPS itself
        log_config=with_planner_loggers(
            uvicorn.config.LOGGING_CONFIG, request_lines=not args.no_access_log
        ),
        access_log=False,  # replaced by the request log (graph/request_log.py)
        # The C event loop and HTTP parser: the pure-Python ones cost per request.
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
