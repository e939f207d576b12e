"""Refusals made before GraphQL runs, shaped like GraphQL errors so clients read them
the same way: `{"errors": [{"message": ..., "extensions": {"code": ...}}]}`, with no
`data` key (a request error, in the GraphQL spec's words), in the media type the
client negotiated (graph/media_types.py)."""

from typing import Any

from starlette.responses import Response

from graph.json_encoding import encode_json
from graph.media_types import CONTENT_TYPES, GRAPHQL_RESPONSE_JSON, JSON

# Strawberry's wording for an operation refused on a method; the GraphQL-over-HTTP spec
# answers a mutation over GET with 405, and subscriptions are refused alike.
_MUTATION_OVER_GET = "mutations are not allowed when using GET"
_SUBSCRIPTION_OVER_GET = "subscriptions are not allowed when using GET"
# A subscription POSTed without asking for a stream (the router streams the others).
_SUBSCRIPTION_UNSTREAMED = "subscriptions are not allowed when using POST"
_NOT_STREAMED = (
    "A subscription streams its results: send Accept: multipart/mixed;subscriptionSpec=1.0, "
    "or subscribe over the WebSocket at /graphql"
)


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


def refusal_response(refusal: RequestRefused, media_type: str) -> Response:
    modern = media_type == GRAPHQL_RESPONSE_JSON
    status = refusal.status if modern else refusal.legacy_status
    return json_error(
        status,
        refusal.message,
        refusal.code,
        media_type=media_type,
        # Headers that go with the status (WWW-Authenticate with a 401).
        headers=refusal.headers if status == refusal.status else None,
        **refusal.extensions,
    )


def http_exception_response(status: int, reason: str, media_type: str) -> Response:
    """Strawberry's HTTPException (a malformed request, an operation the method does
    not allow), GraphQL-shaped."""
    if reason in (_MUTATION_OVER_GET, _SUBSCRIPTION_OVER_GET):
        kind = "Mutations" if reason == _MUTATION_OVER_GET else "Subscriptions"
        return json_error(
            405,
            f"{kind} are not allowed over GET",
            "METHOD_NOT_ALLOWED",
            media_type=media_type,
            headers={"allow": "POST"},
        )
    if reason == _SUBSCRIPTION_UNSTREAMED:
        return json_error(406, _NOT_STREAMED, "NOT_ACCEPTABLE", media_type=media_type)
    return json_error(status, reason, "BAD_REQUEST", media_type=media_type)
