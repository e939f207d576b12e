"""The command line: `python main.py serve | migrate | export-schema | purge-tokens |
load-trusted-documents`."""

import argparse
import asyncio
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from app.services import build_database, build_services
from app.serving import run_server
from app.settings import PROJECT_DIR, Settings, load_settings
from auth.housekeeping import Purged, purge
from db.engine import Database
from db.migrations import DatabaseBehind, ensure_schema_current, upgrade_to_head
from graph.trusted_documents import ManifestError, load_trusted_documents
from schema import build_schema, schema

SERVED_APP = "main:create_served_app"


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "export-schema":
        args.output.write_text(schema.as_str() + "\n")
    elif args.command == "purge-tokens":
        print(asyncio.run(_purge_tokens(load_settings())).summary())
    elif args.command == "migrate":
        asyncio.run(_migrate(load_settings()))
    elif args.command == "load-trusted-documents":
        try:
            print(asyncio.run(_load_documents(load_settings(), args.manifest, check=args.check)))
        except ManifestError as error:
            raise SystemExit(str(error)) from None
    else:
        _serve(args, load_settings())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="The Planner API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--no-access-log", action="store_true", help="no request log lines (benchmarks)"
    )
    commands.add_parser("migrate", help="upgrade the database schema to the latest revision")
    export = commands.add_parser("export-schema", help="write the SDL to schema/schema.graphql")
    export.add_argument("--output", type=Path, default=PROJECT_DIR / "schema" / "schema.graphql")
    commands.add_parser(
        "purge-tokens",
        help="delete expired refresh and mail link tokens, stale sign-in failures and "
        "finished mails past MAIL_RETENTION_HOURS",
    )
    load = commands.add_parser(
        "load-trusted-documents",
        help="check a trusted-documents manifest against the schema and store it in the database",
    )
    load.add_argument("manifest", type=Path, nargs="?", help="default: TRUSTED_DOCUMENTS")
    load.add_argument("--check", action="store_true", help="only check, store nothing")
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    settings.signing_key()  # fail fast, before workers start, on a bad key
    settings.mail()  # and on production without a mail server (nor MAIL_ENABLED=false)
    try:  # and on a database that is behind, with just the message
        asyncio.run(_check_schema(settings))
    except DatabaseBehind as error:
        raise SystemExit(str(error)) from None
    if settings.trusted_documents is not None:  # a bad manifest stops here, not per worker
        try:
            asyncio.run(_load_documents(settings, None, check=True))
        except ManifestError as error:
            raise SystemExit(str(error)) from None
    run_server(
        SERVED_APP,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        request_lines=not args.no_access_log,
    )


async def _purge_tokens(settings: Settings) -> Purged:
    services = build_services(settings)
    try:
        return await purge(services.accounts, services.account_mail)
    finally:
        await services.database.dispose()


async def _load_documents(settings: Settings, path: Path | None, *, check: bool) -> str:
    path = path or settings.trusted_documents
    if path is None:
        raise ManifestError("name a manifest, or set TRUSTED_DOCUMENTS")
    limits = settings.query_limits()
    database = None if check else build_database(settings)
    try:
        return await load_trusted_documents(path, build_schema(limits)._schema, limits, database)
    finally:
        if database is not None:
            await database.dispose()


async def _migrate(settings: Settings) -> None:
    await _on_database(settings, upgrade_to_head)


async def _check_schema(settings: Settings) -> None:
    await _on_database(settings, ensure_schema_current)


async def _on_database(
    settings: Settings, action: Callable[[Database], Coroutine[Any, Any, None]]
) -> None:
    database = build_database(settings)
    try:
        await action(database)
    finally:
        await database.dispose()
