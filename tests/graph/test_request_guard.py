"""graph/request_guard.py as ASGI middleware around a tiny app that echoes the body it
is handed: what passes reaches the app whole, what is refused never reaches it. Its
refusals through the real app are in tests/security/test_limits.py."""

import json
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from graph.request_guard import GraphQLRequestGuard

LIMIT = 10


class Echo:
    """Answers 200 with the body it read; remembers whether it was called."""

    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


async def request(
    chunks: list[bytes],
    *,
    content_type: bytes = b"application/json",
    content_length: int | None = None,
    method: str = "POST",
    path: str = "/graphql",
    accept: bytes | None = None,
) -> tuple[Echo, int, bytes]:
    """(the app, the status, the response body) for a request sent in `chunks`."""
    headers = [(b"content-type", content_type)]
    if accept is not None:
        headers.append((b"accept", accept))
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope: dict[str, Any] = {"type": "http", "method": method, "path": path, "headers": headers}
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    app = Echo()
    await GraphQLRequestGuard(app, max_body_bytes=LIMIT)(scope, receive, send)
    return app, sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def test_a_body_in_chunks_reaches_the_app_whole() -> None:
    _, status, body = await request([b'{"a":', b"1", b"}"])
    assert (status, body) == (200, b'{"a":1}')


async def test_a_body_at_the_limit_passes() -> None:
    _, status, body = await request([b"x" * LIMIT], content_length=LIMIT)
    assert (status, body) == (200, b"x" * LIMIT)


@pytest.mark.parametrize(
    ("chunks", "declared"),
    [
        ([b"x" * LIMIT, b"x"], None),  # no Content-Length: counted while reading
        ([b"{}"], LIMIT + 1),  # refused on the declared length, before reading
    ],
)
async def test_an_oversized_body_never_reaches_the_app(
    chunks: list[bytes], declared: int | None
) -> None:
    app, status, body = await request(chunks, content_length=declared)
    assert (app.called, status) == (False, 413)
    assert json.loads(body)["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE"}


@pytest.mark.parametrize(
    "content_type",
    [b"text/plain", b"application/x-www-form-urlencoded", b"multipart/form-data; boundary=x"],
)
async def test_content_types_a_foreign_form_can_send_are_refused(content_type: bytes) -> None:
    app, status, body = await request([b"{}"], content_type=content_type)
    assert (app.called, status) == (False, 415)
    assert json.loads(body)["errors"][0]["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}


async def test_json_with_parameters_and_any_case_passes() -> None:
    _, status, _ = await request([b"{}"], content_type=b"Application/JSON; charset=utf-8")
    assert status == 200


@pytest.mark.parametrize(("method", "path"), [("GET", "/graphql"), ("POST", "/auth/token")])
async def test_other_requests_pass_untouched(method: str, path: str) -> None:
    big = b"x" * (LIMIT * 3)
    _, status, body = await request([big], content_type=b"text/plain", method=method, path=path)
    assert (status, body) == (200, big)


STREAM = b"multipart/mixed;subscriptionSpec=1.0"


async def test_a_post_asking_only_for_a_subscription_stream_passes() -> None:
    # The router streams it if it is a subscription, and refuses it (406) if not.
    _, status, _ = await request([b"{}"], accept=STREAM)
    assert status == 200
    app, status, _ = await request([b"{}"], accept=b"text/html")
    assert (app.called, status) == (False, 406)


async def test_a_subscription_stream_needs_a_json_post_too() -> None:
    app, status, _ = await request([b"{}"], accept=STREAM, content_type=b"text/plain")
    assert (app.called, status) == (False, 415)
