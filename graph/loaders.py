"""Dataloaders, made fresh for every request so no cache outlives it or crosses users."""

import uuid
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
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

    async def users(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, UserRecord]:
        """Many users at once, for a caller that holds all the ids (a page's creators).

        user_by_id.load_many would make a future per id and gather them, which for a
        page of 20 cost more than the query itself. Here the ids this request has not
        loaded yet are read in one query (user_by_id's own batch function) and primed
        into user_by_id, so that later loads of them (a creator reached another way)
        are answered from its cache."""
        found: dict[uuid.UUID, UserRecord] = {}
        missing: list[uuid.UUID] = []
        for ident in dict.fromkeys(ids):
            user = _loaded(self.user_by_id, ident)
            if user is None:
                missing.append(ident)
            else:
                found[ident] = user
        if missing:
            batch = await self.user_by_id.load_fn(missing)
            pairs = zip(missing, batch, strict=True)
            fetched = {ident: user for ident, user in pairs if isinstance(user, UserRecord)}
            self.user_by_id.prime_many(fetched)
            found.update(fetched)
        return found


def _loaded(loader: DataLoader[uuid.UUID, T | None], key: uuid.UUID) -> T | None:
    """What `loader` already holds for `key`, if its load has finished with a value."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return future.result()


def preload_internals_missing() -> str | None:
    """What Loaders.users relies on in Strawberry's DataLoader and cannot find, or None:
    its cache (`cache_map`, a documented constructor argument) read with `get`, its
    batch function `load_fn`, and `prime_many`."""
    for name in ("load_fn", "prime_many", "cache_map"):
        if name not in DataLoader.__init__.__code__.co_names and not hasattr(DataLoader, name):
            return f"Strawberry's DataLoader has no {name}"
    if not callable(getattr(DataLoader, "prime_many", None)):
        return "Strawberry's DataLoader has no prime_many"
    return None
