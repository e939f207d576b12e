"""Composition root: settings, the FastAPI app factory, and the command line."""

import argparse
import asyncio
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Literal

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth.accounts import Accounts
from auth.passwords import PasswordHasher
from auth.tokens import TokenSettings
from db.engine import Database, PoolSettings
from graph.bench_rest import create_bench_router
from graph.router import create_graphql_router
from graph.services import Services
from schema import schema

PROJECT_DIR = Path(__file__).resolve().parent
MIN_SECRET_BYTES = 32
HEALTH_TIMEOUT_SECONDS = 3.0


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
    secret_key: str | None = None
    # Where the development secret is kept between restarts (never committed).
    secret_key_file: Path = PROJECT_DIR / ".secret_key"
    access_token_expire_minutes: int = Field(default=30, ge=1)
    jwt_issuer: str = "planner"
    jwt_audience: str = "planner"
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)
    graphiql: bool | None = None
    # Benchmark-only switches (`make bench`): a plain REST twin of the events query
    # and authentication switched off. Never in production (see check_bench_settings).
    bench_mode: bool = False
    bench_auth_off: bool = False

    @property
    def is_development(self) -> bool:
        return self.environment == "development"


class ConfigurationError(RuntimeError):
    pass


def resolve_secret_key(settings: Settings) -> str:
    """SECRET_KEY, or in development a generated one persisted so that tokens stay
    valid across restarts. Outside development a missing or short key is refused."""
    if settings.secret_key is not None:
        if not settings.is_development and len(settings.secret_key.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes")
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


def build_services(settings: Settings) -> Services:
    database = Database(
        settings.database_url,
        PoolSettings(
            size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            timeout_seconds=settings.db_pool_timeout,
        ),
    )
    tokens = TokenSettings(
        secret_key=resolve_secret_key(settings),
        access_ttl=timedelta(minutes=settings.access_token_expire_minutes),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    hasher = PasswordHasher(rounds=settings.bcrypt_rounds)
    return Services(database=database, accounts=Accounts(database, hasher, tokens))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    check_bench_settings(settings)
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await services.database.create_tables()
        yield
        await services.database.dispose()

    app = FastAPI(title="Planner", lifespan=lifespan)
    app.state.services = services
    graphiql = settings.graphiql if settings.graphiql is not None else True
    auth_required = not settings.bench_auth_off
    app.include_router(
        create_graphql_router(schema, services, graphiql=graphiql, auth_required=auth_required)
    )
    if settings.bench_mode:
        app.include_router(create_bench_router(services, auth_required=auth_required))

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        try:
            await asyncio.wait_for(services.database.ping(), HEALTH_TIMEOUT_SECONDS)
        except Exception:  # any failure means "not ready"; details stay in the server
            return JSONResponse({"status": "unavailable", "database": "unavailable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok"})

    return app


def export_schema(path: Path) -> None:
    path.write_text(schema.as_str() + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="main.py", description="The Planner API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-access-log", action="store_true", help="no line per request")
    export = commands.add_parser("export-schema", help="write the SDL to schema/schema.graphql")
    export.add_argument("--output", type=Path, default=PROJECT_DIR / "schema" / "schema.graphql")
    args = parser.parse_args(argv)

    if args.command == "export-schema":
        export_schema(args.output)
        return
    import uvicorn

    settings = Settings()
    resolve_secret_key(settings)  # fail fast, before workers start, on a bad key
    check_bench_settings(settings)
    uvicorn.run(
        "main:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        # The C event loop and HTTP parser: the pure-Python ones cost per request.
        loop="uvloop",
        http="httptools",
        access_log=not args.no_access_log,
    )


if __name__ == "__main__":
    main()
