"""Refusals made before GraphQL runs, shaped like GraphQL errors so clients read them
the same way: `{"errors": [{"message": ..., "extensions": {"code": ...}}]}`, with no
`data` key (a request error, in the GraphQL spec's words), in the media type the
client negotiated (graph/media_types.py)."""

from typing import Any

from starlette.responses import Response

from graph.json_encoding import encode_json
from graph.media_types import CONTENT_TYPES, JSON


def json_error(
    status: int,
    message: str,
    code: str,
    *,
    media_type: str | None = JSON,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """`media_type` None (the client accepts neither JSON type) answers in JSON."""
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return Response(
        encode_json(body),
        status_code=status,
        headers={
            **(headers or {}),
            "content-type": CONTENT_TYPES[media_type or JSON],
            # The body depends on the request, and a cached refusal would outlive it.
            "cache-control": "no-store",
            "vary": "Accept",
        },
    )


class RequestRefused(Exception):
    """A GraphQL request error found before the document is parsed (a persisted
    query that is unknown, a document that is not trusted, ...). Answered like other
    request errors: no `data`; `status` under application/graphql-response+json,
    `legacy_status` under application/json (200 by default, as there every GraphQL
    response is). `extensions` go beside the code; `headers` on the response."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        legacy_status: int = 200,
        extensions: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.legacy_status = legacy_status
        self.extensions = extensions or {}
        self.headers = headers
