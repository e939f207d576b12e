"""A small client for subscriptions streamed over HTTP (Strawberry's multipart
transport, what Apollo Client's HttpLink speaks), for tests against a real server:
the body is read as it arrives and cut into its JSON parts."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx

from tests.live.sockets import WAIT, same_instant

ACCEPT = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json'
_PART = re.compile(rb"Content-Length: (\d+)\r\n\r\n")
_END = object()


class Stream:
    """One streamed subscription: its parts in order, heartbeats (`{}`) left out."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._parts: asyncio.Queue[Any] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())
        # Everything received, for failure messages.
        self.history: list[dict[str, Any]] = []
        self.ended = False

    async def _read(self) -> None:
        buffer = b""
        try:
            async for chunk in self.response.aiter_bytes():
                buffer += chunk
                while (match := _PART.search(buffer)) and len(buffer) >= match.end() + int(
                    match.group(1)
                ):
                    end = match.end() + int(match.group(1))
                    part = json.loads(buffer[match.end() : end])
                    buffer = buffer[end:]
                    if part != {}:
                        await self._parts.put(part)
        finally:
            await self._parts.put(_END)

    async def part(self, wait: float = WAIT) -> dict[str, Any] | None:
        """The next part (`{"payload": ...}`), or None once the stream has ended."""
        if self.ended:
            return None
        part = await asyncio.wait_for(self._parts.get(), wait)
        if part is _END:
            self.ended = True
            return None
        self.history.append(part)
        result: dict[str, Any] = part
        return result

    async def payload(self) -> dict[str, Any]:
        part = await self.part()
        assert part is not None, ("the stream ended", self.history)
        payload: dict[str, Any] = part["payload"]
        return payload

    async def change(self) -> dict[str, Any]:
        """The next EventChange; fails on anything else."""
        payload = await self.payload()
        assert "errors" not in payload, self.history
        change: dict[str, Any] = next(iter(payload["data"].values()))
        return change

    async def end(self) -> None:
        """Wait until the server ends the stream; fails if anything else arrives."""
        part = await self.part()
        assert part is None, self.history

    async def saw(self, _op_id: str, event_id: str, at: str, wait: float) -> bool:
        """As Socket.saw (tests/live/sockets.py): whether the change of `event_id` made
        at `at` arrives within `wait` seconds, skipping what comes before it."""
        try:
            async with asyncio.timeout(wait):
                while True:
                    change = await self.change()
                    if change.get("eventId") == event_id and same_instant(change["at"], at):
                        return True
        except TimeoutError:
            return False


@asynccontextmanager
async def streaming(
    http: httpx.AsyncClient,
    query: str,
    *,
    token: str | None = None,
    accept: str = ACCEPT,
    **variables: Any,
) -> AsyncIterator[Stream]:
    headers = {"accept": accept}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    body = {"query": query, "variables": variables}
    async with http.stream("POST", "/graphql", json=body, headers=headers) as response:
        stream = Stream(response)
        try:
            yield stream
        finally:
            stream._reader.cancel()
            with suppress(BaseException):
                await stream._reader
