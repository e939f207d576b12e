"""The speed-ups that reach past a library's public API, switched on or off in one place.

Each is measured in docs/BENCHMARKS.md ("What each speed-up buys") and described, with
its figure, at the top of its own module. Each depends on some library internals;
checked_fast_paths() looks for them once at startup and turns a speed-up off, with one
warning line, when they are missing, so that an upgrade of Strawberry, graphql-core or
aiosqlite costs speed, never correctness. Tests and the bench turn them off to compare
(tests/app/test_fast_paths.py runs the key queries both ways).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from db.loop_reader import loop_read_internals_missing
from db.sqlite_driver import lean_driver_internals_missing
from graph.execution import lean_execution_internals_missing
from graph.socket_entry import socket_entry_internals_missing
from schema.creators import preload_internals_missing

logger = logging.getLogger("planner.fast_paths")


@dataclass(frozen=True)
class FastPaths:
    # graph/execution.py: plain fields read without graphql-core's per-field machinery.
    lean_execution: bool = True
    # schema/creators.py: a page's creators loaded up front, in one query.
    preloaded_creators: bool = True
    # db/loop_reader.py: the per-request user row read on the event loop (SQLite files).
    sqlite_loop_reader: bool = True
    # db/sqlite_driver.py: a query and its rows in one aiosqlite thread hand-off.
    sqlite_merged_handoffs: bool = True
    # graph/socket_entry.py: subscription sockets go straight to Strawberry's view.
    lean_sockets: bool = True

    @classmethod
    def none(cls) -> "FastPaths":
        """Every speed-up off: the stock path throughout."""
        return cls(**{field.name: False for field in fields(cls)})


# For each speed-up: a function that names what is missing, or returns None.
INTERNALS: dict[str, Callable[[], str | None]] = {
    "lean_execution": lean_execution_internals_missing,
    "preloaded_creators": preload_internals_missing,
    "sqlite_loop_reader": loop_read_internals_missing,
    "sqlite_merged_handoffs": lean_driver_internals_missing,
    "lean_sockets": socket_entry_internals_missing,
}


def checked_fast_paths(wanted: FastPaths) -> FastPaths:
    """`wanted`, less the speed-ups whose library internals are not there."""
    off: dict[str, bool] = {}
    for name, missing in INTERNALS.items():
        if not getattr(wanted, name):
            continue
        reason = missing()
        if reason is not None:
            logger.warning("Fast path %s is off, using the stock path: %s", name, reason)
            off[name] = False
    return replace(wanted, **off)
