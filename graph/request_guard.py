"""HTTP checks on /graphql that run before any GraphQL parsing.

- Only GET and POST (405 with `Allow` otherwise).
- The Accept header must allow a JSON response (406 otherwise; graph/media_types.py),
  except for a GET that may be a browser opening GraphiQL (no GraphQL parameters):
  the router serves the page or refuses it; and except for a POST that accepts a
  multipart subscription stream: the router streams a subscription or refuses.
- A POST must be `application/json`, a subscription streamed over HTTP too. The
  content types a cross-site <form> or a
  "simple" fetch can send (form-encoded, multipart, text/plain) are refused, so a
  foreign page cannot make a browser run a mutation with its cookies (CSRF).
- The body is at most `max_body_bytes` (HTTP 413), checked on Content-Length and
  while reading, so an oversized body is never buffered whole nor parsed.

Each refusal is GraphQL-shaped (graph/http_errors.py) in the negotiated media type.
"""

from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.http_errors import json_error
from graph.media_types import accepts_multipart_subscription, negotiate

JSON = "application/json"
_METHODS = ("GET", "POST")
# A GET carrying any of these is a GraphQL request, not a page view.
_GRAPHQL_PARAMETERS = ("query", "extensions", "documentId")


class GraphQLRequestGuard:
    def __init__(self, app: ASGIApp, *, path: str = "/graphql", max_body_bytes: int) -> None:
        self.app = app
        self.path = path
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope["headers"]}
        raw_accept = headers.get(b"accept")
        accept = raw_accept.decode("latin-1") if raw_accept is not None else None
        media_type = negotiate(accept)
        method = scope["method"]
        if method not in _METHODS:
            refusal = json_error(
                405,
                "GraphQL is served over GET and POST only",
                "METHOD_NOT_ALLOWED",
                media_type=media_type,
                headers={"allow": ", ".join(_METHODS)},
            )
            await refusal(scope, receive, send)
            return
        if (
            media_type is None
            and not _may_be_a_page_view(scope)
            and not (method == "POST" and accepts_multipart_subscription(accept))
        ):
            refusal = json_error(
                406,
                "Accept allows neither application/graphql-response+json nor application/json",
                "NOT_ACCEPTABLE",
            )
            await refusal(scope, receive, send)
            return
        if method != "POST":
            await self.app(scope, receive, send)
            return
        essence = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if essence != JSON.encode():
            refusal = json_error(
                415,
                "A GraphQL POST must be application/json",
                "UNSUPPORTED_MEDIA_TYPE",
                media_type=media_type,
            )
            await refusal(scope, receive, send)
            return
        body = await self._read_body(headers.get(b"content-length"), receive)
        if body is None:
            too_large = json_error(
                413,
                f"Request body over {self.max_body_bytes} bytes",
                "PAYLOAD_TOO_LARGE",
                media_type=media_type,
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


def _may_be_a_page_view(scope: Scope) -> bool:
    if scope["method"] != "GET":
        return False
    parameters = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return not any(name in parameters for name in _GRAPHQL_PARAMETERS)


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
