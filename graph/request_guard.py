"""HTTP checks on /graphql that run before any GraphQL parsing.

- A POST must be `application/json`. The content types a cross-site <form> or a
  "simple" fetch can send (form-encoded, multipart, text/plain) are refused, so a
  foreign page cannot make a browser run a mutation with its cookies (CSRF).
- The body is at most `max_body_bytes` (HTTP 413), checked on Content-Length and
  while reading, so an oversized body is never buffered whole nor parsed.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.http_errors import json_error

JSON = "application/json"


class GraphQLRequestGuard:
    def __init__(self, app: ASGIApp, *, path: str = "/graphql", max_body_bytes: int) -> None:
        self.app = app
        self.path = path
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope["headers"]}
        essence = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if essence != JSON.encode():
            refusal = json_error(
                415, "A GraphQL POST must be application/json", "UNSUPPORTED_MEDIA_TYPE"
            )
            await refusal(scope, receive, send)
            return
        body = await self._read_body(headers.get(b"content-length"), receive)
        if body is None:
            too_large = json_error(
                413, f"Request body over {self.max_body_bytes} bytes", "PAYLOAD_TOO_LARGE"
            )
            await too_large(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, declared: bytes | None, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it is known to be too large."""
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """Hands the app the body already read, then the connection's own messages."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
