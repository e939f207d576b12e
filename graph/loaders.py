"""Dataloaders, made fresh for every request so no cache outlives it or crosses users."""

import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from db.engine import Database
from db.events import events_by_ids
from db.models import Event, User
from db.users import users_by_ids

T = TypeVar("T")
BatchQuery = Callable[[Any, Sequence[uuid.UUID]], Coroutine[Any, Any, Mapping[uuid.UUID, T]]]


def _loader(database: Database, query: BatchQuery[T]) -> DataLoader[uuid.UUID, T | None]:
    async def load(ids: list[uuid.UUID]) -> list[T | None]:
        async with database.read() as session:
            found = await query(session, ids)
        return [found.get(ident) for ident in ids]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self, database: Database) -> None:
        self.user_by_id: DataLoader[uuid.UUID, User | None] = _loader(database, users_by_ids)
        self.event_by_id: DataLoader[uuid.UUID, Event | None] = _loader(database, events_by_ids)
