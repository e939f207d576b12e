"""Dataloaders, made fresh for every request so no cache outlives it or crosses users."""

import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from db.engine import Database
from db.events import events_by_ids
from db.models import Event
from db.users import UserRecord, users_by_ids

T = TypeVar("T")
H = TypeVar("H")  # what the query runs on: an ORM session or a Core connection
BatchQuery = Callable[[H, Sequence[uuid.UUID]], Coroutine[Any, Any, Mapping[uuid.UUID, T]]]


def _loader(
    open_handle: Callable[[], AbstractAsyncContextManager[H]], query: BatchQuery[H, T]
) -> DataLoader[uuid.UUID, T | None]:
    async def load(ids: list[uuid.UUID]) -> list[T | None]:
        async with open_handle() as handle:
            found = await query(handle, ids)
        return [found.get(ident) for ident in ids]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self, database: Database) -> None:
        self.user_by_id: DataLoader[uuid.UUID, UserRecord | None] = _loader(
            database.connect, users_by_ids
        )
        self.event_by_id: DataLoader[uuid.UUID, Event | None] = _loader(
            database.read, events_by_ids
        )
