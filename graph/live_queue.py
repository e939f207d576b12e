"""A subscription's bounded queue: asyncio.Queue's put_nowait / get / get_nowait /
qsize / empty for one consumer, in one deque and at most one waiting future.

asyncio.Queue keeps three deques and an Event (~2.9 KB) for every open subscription;
one reader and one writer on the same loop need none of its waiter bookkeeping
(issue 13's memory target: 1,000 open subscriptions at <= 60 KB each).
"""

import asyncio
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class DeliveryQueue(Generic[T]):
    __slots__ = ("_items", "_maxsize", "_waiter")

    def __init__(self, maxsize: int) -> None:
        self._items: deque[T] = deque()
        self._maxsize = maxsize
        self._waiter: asyncio.Future[None] | None = None

    def qsize(self) -> int:
        return len(self._items)

    def empty(self) -> bool:
        return not self._items

    def put_nowait(self, item: T) -> None:
        """Raises asyncio.QueueFull when `maxsize` items wait already."""
        if len(self._items) >= self._maxsize:
            raise asyncio.QueueFull
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def get_nowait(self) -> T:
        """Raises asyncio.QueueEmpty when nothing waits."""
        if not self._items:
            raise asyncio.QueueEmpty
        return self._items.popleft()

    async def get(self) -> T:
        """The next item, waiting for one. One consumer at a time."""
        while not self._items:
            if self._waiter is not None and not self._waiter.done():
                raise RuntimeError("DeliveryQueue has one consumer")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()
