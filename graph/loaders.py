"""Dataloaders, made fresh for every request so no cache outlives it or crosses users."""

import uuid
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
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
    def __init__(
        self, database: Database, viewer: Callable[[], Awaitable[UserRecord]] = _no_viewer
    ) -> None:
        self.user_by_id: DataLoader[uuid.UUID, UserRecord | None] = _loader(
            database.connect, users_by_ids
        )
        self.event_by_id: DataLoader[uuid.UUID, Event | None] = _loader(
            database.read, events_by_ids
        )
        # One statement per page for each: hosts, counts, and what the viewer is to the
        # events (host? invited? answered?) and their own answer.
        self.hosts: DataLoader[uuid.UUID, list[UserRecord] | None] = _loader(
            database.connect, hosts_of_events
        )
        self.counts: DataLoader[uuid.UUID, tuple[int, int] | None] = _loader(
            database.connect, answer_counts
        )
        self.event_access: DataLoader[uuid.UUID, EventAccess | None] = _viewer_loader(
            database.connect, viewer, access_for
        )
        self.viewer_answer: DataLoader[uuid.UUID, Answer | None] = _viewer_loader(
            database.connect, viewer, answers_of_viewer
        )
