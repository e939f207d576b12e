"""graph/live_queue.py: a bounded FIFO with one waiting consumer."""

import asyncio

import pytest

from graph.live_queue import DeliveryQueue


async def test_get_waits_for_the_next_item_and_keeps_their_order() -> None:
    queue: DeliveryQueue[int] = DeliveryQueue(3)
    waiting = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    queue.put_nowait(1)
    queue.put_nowait(2)
    assert await waiting == 1
    assert queue.qsize() == 1
    assert await queue.get() == 2
    assert queue.empty()


async def test_it_holds_at_most_maxsize_items() -> None:
    queue: DeliveryQueue[str] = DeliveryQueue(2)
    queue.put_nowait("a")
    queue.put_nowait("b")
    with pytest.raises(asyncio.QueueFull):
        queue.put_nowait("c")
    assert [queue.get_nowait(), queue.get_nowait()] == ["a", "b"]
    with pytest.raises(asyncio.QueueEmpty):
        queue.get_nowait()


async def test_a_cancelled_get_loses_nothing() -> None:
    queue: DeliveryQueue[int] = DeliveryQueue(2)
    waiting = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    queue.put_nowait(7)
    assert await queue.get() == 7
