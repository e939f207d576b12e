"""A page of events with its creators loaded up front: a speed-up.

What it saves: `Event.creator` is a plain attribute, not a resolver. On a page the
creators are read in one query before the events are returned, so the attribute
already holds each User; elsewhere (one event, a mutation's result) it holds a
CreatorLoad, an awaitable that graphql-core awaits as it would an async resolver's
result. Against a resolver awaiting the request's user loader per event, that skips
Strawberry's resolver call (an Info and argument handling per event) and twenty
DataLoader futures a page. Measured on a quiet machine (docs/BENCHMARKS.md, "What
each speed-up buys", 2026-12-02): it saves 5.8% of target 1's server CPU per events
request.

What it relies on: Strawberry's DataLoader attributes `cache_map` (a documented
constructor argument, read with its `get`), `load_fn` and `prime_many`
(preload_internals_missing() checks them at startup, app/fast_paths.py), and
`info.selected_fields` (public). Switched off, or with those missing, every event
holds a CreatorLoad: each creator is loaded through the user loader, still batched.
"""

import uuid
from collections.abc import Callable, Generator, Iterable
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField, Selection

from db.users import UserRecord

T = TypeVar("T")
UserLoader = DataLoader[uuid.UUID, UserRecord | None]


class CreatorLoad(Generic[T]):
    """An awaitable of an event's creator, through the request's user loader. Each
    await starts a fresh load; the loader's cache makes repeats free."""

    __slots__ = ("_convert", "_creator_id", "_loader")

    def __init__(
        self, loader: UserLoader, creator_id: uuid.UUID, convert: Callable[[UserRecord], T]
    ) -> None:
        self._loader = loader
        self._creator_id = creator_id
        self._convert = convert

    def __await__(self) -> Generator[Any, None, T]:
        return self._load().__await__()

    async def _load(self) -> T:
        row = await self._loader.load(self._creator_id)
        if row is None:  # the foreign key cascades, so only a concurrent deletion
            raise LookupError("creator of event is gone")
        return self._convert(row)


def selects(selections: list[Selection], path: tuple[str, ...]) -> bool:
    """Whether `path` (GraphQL field names) is selected below; fragments are looked into."""
    if not path:
        return True
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == path[0] and selects(selection.selections, path[1:]):
                return True
        elif selects(selection.selections, path):
            return True
    return False


async def preload_users(
    loader: UserLoader, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, UserRecord]:
    """Many users at once, for a caller that holds all the ids (a page's creators).

    loader.load_many would make a future per id and gather them, which for a page of 20
    cost more than the query itself. Here the ids this request has not loaded yet are
    read in one query (the loader's own batch function) and primed into the loader,
    so that later loads of them (a creator reached another way) hit its cache."""
    found: dict[uuid.UUID, UserRecord] = {}
    missing: list[uuid.UUID] = []
    for ident in dict.fromkeys(ids):
        user = _loaded(loader, ident)
        if user is None:
            missing.append(ident)
        else:
            found[ident] = user
    if missing:
        batch = await loader.load_fn(missing)
        pairs = zip(missing, batch, strict=True)
        fetched = {ident: user for ident, user in pairs if isinstance(user, UserRecord)}
        loader.prime_many(fetched)
        found.update(fetched)
    return found


def _loaded(loader: UserLoader, key: uuid.UUID) -> UserRecord | None:
    """What `loader` already holds for `key`, if its load has finished with a value."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return future.result()


def preload_internals_missing() -> str | None:
    """None when Strawberry's DataLoader has what preload_users uses."""
    for name in ("load_fn", "cache_map"):
        if name not in DataLoader.__init__.__code__.co_names:
            return f"Strawberry's DataLoader sets no {name}"
    if not callable(getattr(DataLoader, "prime_many", None)):
        return "Strawberry's DataLoader has no prime_many"
    return None
