"""Entry point and composition root: settings in, the Planner app out.

`python main.py serve | migrate | export-schema | purge-tokens` (app/cli.py). Tests,
the bench and uvicorn's workers build the app with create_app / create_served_app.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from fastapi import FastAPI
from strawberry.schema import BaseSchema

from app.cli import main
from app.factory import RouterFactory, assemble_app
from app.fast_paths import FastPaths, checked_fast_paths
from app.services import build_services
from app.serving import tuned_for_serving
from app.settings import PROJECT_DIR, Settings, load_settings
from db.types import utc_now
from graph.services import Services
from schema import build_schema


def create_app(
    settings: Settings | None = None,
    clock: Callable[[], datetime] = utc_now,
    *,
    fast_paths: FastPaths | None = None,
    routers: Sequence[RouterFactory] = (),
    schema_factory: Callable[[Services], BaseSchema] | None = None,
) -> FastAPI:
    """The app for `settings` (the environment's when None).

    The keyword arguments are the seams for tests and the bench: `fast_paths` turns
    speed-ups off (they fall back by themselves when a library's internals moved),
    `routers` adds routes built from the services, `schema_factory` serves another
    schema built on the same services.
    """
    settings = settings or load_settings()
    paths = checked_fast_paths(fast_paths or FastPaths())
    services = build_services(settings, clock, paths)
    if schema_factory is not None:
        schema = schema_factory(services)
    else:
        schema = build_schema(services.limits, lean_execution=paths.lean_execution)
    return assemble_app(settings.app(), services, schema, routers, lean_sockets=paths.lean_sockets)


def create_served_app() -> FastAPI:
    """What each uvicorn worker of `serve` runs."""
    return tuned_for_serving(create_app())


__all__ = ["PROJECT_DIR", "Settings", "create_app", "create_served_app", "main"]

if __name__ == "__main__":
    main()
