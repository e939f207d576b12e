"""The apps the bench serves: the shipped app, composed through create_app's seams.

Which one a server runs is named in PLANNER_BENCH_APP (read here, in each uvicorn
worker), as comma-separated parts:
- `rest-twin`: adds GET /bench/events (bench/rest_twin.py), for target 1;
- `auth-off`: serves bench/open_schema.py's schema, for target 2;
- `without:NAME`: turns off one speed-up of app/fast_paths.py (e.g.
  `without:lean_execution`), for the table of what each speed-up buys.
"""

import os
from dataclasses import replace

from fastapi import FastAPI

from app.fast_paths import FastPaths
from app.serving import tuned_for_serving
from bench.open_schema import open_schema
from bench.rest_twin import rest_twin_router
from main import create_app

APP_VARIABLE = "PLANNER_BENCH_APP"


def build(parts: str) -> FastAPI:
    names = [part.strip() for part in parts.split(",") if part.strip()]
    fast_paths = FastPaths()
    for name in names:
        if name.startswith("without:"):
            fast_paths = replace(fast_paths, **{name.removeprefix("without:"): False})
        elif name not in ("rest-twin", "auth-off"):
            raise ValueError(f"unknown bench app part {name!r}")
    return create_app(
        fast_paths=fast_paths,
        routers=[rest_twin_router] if "rest-twin" in names else [],
        schema_factory=open_schema if "auth-off" in names else None,
    )


def served_app() -> FastAPI:
    """uvicorn's factory in every bench server process."""
    return tuned_for_serving(build(os.environ.get(APP_VARIABLE, "")))
