"""graph/request_id.py: the request being served, reachable from anywhere in it."""

import asyncio
import re

from graph.request_id import RequestRecord, current_request, current_request_id


def test_outside_a_request_there_is_no_id() -> None:
    assert current_request_id() is None


async def test_each_request_sees_its_own_record() -> None:
    async def serve(record: RequestRecord) -> str | None:
        current_request.set(record)
        await asyncio.sleep(0)  # let the other request run in between
        return current_request_id()

    first, second = RequestRecord(), RequestRecord()
    assert first.request_id != second.request_id
    assert all(re.fullmatch(r"[0-9a-f]{32}", r.request_id) for r in (first, second))
    # Each task runs in a copy of the context: neither sees the other's record.
    seen = await asyncio.gather(serve(first), serve(second))
    assert list(seen) == [first.request_id, second.request_id]
    assert current_request_id() is None
