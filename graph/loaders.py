"""Dataloaders, made fresh for every request so no cache outlives it or crosses users."""

import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from db.engine import Database
from db.event_access import EventAccess, access_for
from db.events import events_by_ids
from db.hosts import hosts_of_events
from db.models import Event
from db.rsvps import Answer, answer_counts, answers_of_viewer
from db.users import UserRecord, users_by_ids

T = TypeVar("T")
H = TypeVar("H")  # what the query runs on: an ORM session or a Core connection
BatchQuery = Callable[[H, Sequence[uuid.UUID]], Coroutine[Any, Any, Mapping[uuid.UUID, T]]]
ViewerQuery = Callable[
    [H, uuid.UUID, Sequence[uuid.UUID]], Coroutine[Any, Any, Mapping[uuid.UUID, T]]
]


def _loader(
    open_handle: Callable[[], AbstractAsyncContextManager[H]], query: BatchQuery[H, T]
) -> DataLoader[uuid.UUID, T | None]:
    async def load(ids: list[uuid.UUID]) -> list[T | None]:
        async with open_handle() as handle:
            found = await query(handle, ids)
        return [found.get(ident) for ident in ids]

    return DataLoader(load_fn=load)


def _viewer_loader(
    open_handle: Callable[[], AbstractAsyncContextManager[H]],
    viewer: Callable[[], Awaitable[UserRecord]],
    query: Callable[
        [H, uuid.UUID, Sequence[uuid.UUID]], Coroutine[Any, Any, Mapping[uuid.UUID, T]]
    ],
) -> DataLoader[uuid.UUID, T | None]:
    """A loader of what the signed-in viewer is to each event (access, own answer)."""

    async def load(ids: list[uuid.UUID]) -> list[T | None]:
        viewer_id = (await viewer()).id
        async with open_handle() as handle:
            found = await query(handle, viewer_id, ids)
        return [found.get(ident) for ident in ids]

    return DataLoader(load_fn=load)


async def _no_viewer() -> UserRecord:
    raise LookupError("these loaders were made without a viewer")


class Loaders:
    """Each loader is made on first use: most requests need one or two of them, and a
    subscription socket keeps its context (and these) open for hours."""

    def __init__(
        self, database: Database, viewer: Callable[[], Awaitable[UserRecord]] = _no_viewer
    ) -> None:
        self._database = database
        self._viewer = viewer

    @cached_property
    def user_by_id(self) -> DataLoader[uuid.UUID, UserRecord | None]:
        return _loader(self._database.connect, users_by_ids)

    @cached_property
    def event_by_id(self) -> DataLoader[uuid.UUID, Event | None]:
        return _loader(self._database.read, events_by_ids)

    # One statement per page for each: hosts, counts, and what the viewer is to the
    # events (host? invited? answered?) and their own answer.
    @cached_property
    def hosts(self) -> DataLoader[uuid.UUID, list[UserRecord] | None]:
        return _loader(self._database.connect, hosts_of_events)

    @cached_property
    def counts(self) -> DataLoader[uuid.UUID, tuple[int, int] | None]:
        return _loader(self._database.connect, answer_counts)

    @cached_property
    def event_access(self) -> DataLoader[uuid.UUID, EventAccess | None]:
        return _viewer_loader(self._database.connect, self._viewer, access_for)

    @cached_property
    def viewer_answer(self) -> DataLoader[uuid.UUID, Answer | None]:
        return _viewer_loader(self._database.connect, self._viewer, answers_of_viewer)
