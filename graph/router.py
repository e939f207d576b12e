"""The FastAPI router that serves a schema at /graphql (the schema is passed in).

On top of Strawberry's GraphQLRouter, the GraphQL-over-HTTP rules (docs/HTTP.md):
- the response's media type is negotiated from Accept (graph/media_types.py);
- a request error (the document does not parse or validate, its variables cannot be
  coerced, a persisted query is unknown, ...) has no `data` key under either media
  type, and is a 4xx under application/graphql-response+json;
- every refusal is GraphQL-shaped JSON with a code, never plain text;
- which document runs is decided before parsing (graph/documents.py: APQ, trusted
  documents), and an APQ document is stored only once it has parsed and validated;
- a subscription streams over POST when Accept asks for multipart/mixed with
  subscriptionSpec=1.0 (graph/live_http.py); otherwise it is refused (over GET as a
  mutation is, 405; over POST with 406), never run as a single result.
"""

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, cast

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from strawberry.exceptions import MissingQueryError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.types import ExecutionResult, SubscriptionExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from graph.context import Context, context_getter
from graph.documents import Documents, Resolved
from graph.graphql_openapi import describe_graphql_routes
from graph.http_errors import RequestRefused, http_exception_response, refusal_response
from graph.http_request import PlannerRequestData, from_json_body, from_query_params
from graph.ide import graphiql_page
from graph.json_encoding import decode_json, encode_json
from graph.live_http import is_subscription, open_stream
from graph.live_hub import LiveConfig
from graph.live_socket import LiveTransportWSHandler, LiveWebSocketAdapter
from graph.media_types import (
    CONTENT_TYPES,
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_multipart_subscription,
    negotiate,
)
from graph.request_id import current_request
from graph.services import Services

GRAPHQL_PATH = "/graphql"
_NOT_ACCEPTABLE = "Accept allows neither application/graphql-response+json nor application/json"


def is_request_error(result: ExecutionResult) -> bool:
    """The GraphQL spec's request error: nothing executed, so no field has an error
    path. (A field error that nulls the whole result has one: that is data: null.)"""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


def media_type_of(request: Request) -> str:
    # None only for a GraphiQL page view that fell through (graph/request_guard.py).
    return negotiate(request.headers.get("accept")) or JSON


class PlannerGraphQLRouter(GraphQLRouter[Context, None]):
    # graphql-transport-ws with Planner's authentication (graph/live_socket.py).
    graphql_transport_ws_handler_class = LiveTransportWSHandler
    websocket_adapter_class = LiveWebSocketAdapter

    def __init__(
        self, *args: Any, documents: Documents, max_ws_message_bytes: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        self.max_ws_message_bytes = max_ws_message_bytes

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        # orjson refuses what is not UTF-8 text, lone surrogate escapes included.
        try:
            return self.decode_json(data)
        except ValueError as error:  # orjson.JSONDecodeError
            raise HTTPException(400, "Unable to parse request body as JSON") from error

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET naming a persisted query or document is a GraphQL request, whatever
        # its Accept header says.
        params = request.query_params
        return (
            super().should_render_graphql_ide(request)
            and params.get("extensions") is None
            and params.get("documentId") is None
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Strawberry's page loads GraphiQL from a CDN; this one from /static.
        return graphiql_page(request)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> PlannerRequestData:
        # graph/request_guard.py has let through only GET and application/json POSTs.
        if request.method == "GET":
            return from_query_params(request.query_params, self.decode_json)  # type: ignore[arg-type]
        data = from_json_body(self.parse_json(await request.get_body()))
        data.stream_accepted = accepts_multipart_subscription(request.headers.get("accept"))
        return data

    async def execute_operation(  # type: ignore[override]
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: PlannerRequestData,  # never a batch: batching is off
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | SubscriptionExecutionResult:
        resolved = await self.documents.resolve(request_data)
        request_data.query, request_data.register = resolved.query, resolved.register
        max_tokens = context.services.limits.max_tokens
        if request_data.stream_accepted and is_subscription(
            request_data.query, request_data.operation_name, max_tokens
        ):
            stream = await open_stream(context)
            request_data.protocol = "multipart-subscription"  # Strawberry's, typed as a literal
            results = await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
            followed = stream.follow(cast(SubscriptionExecutionResult, results))
            return cast(SubscriptionExecutionResult, followed)
        if negotiate(request.headers.get("accept")) is None:
            # Let through by the guard for a stream, but this is no subscription.
            raise RequestRefused(406, _NOT_ACCEPTABLE, "NOT_ACCEPTABLE", legacy_status=406)
        return cast(
            ExecutionResult,
            await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            ),
        )

    async def execute_single(  # type: ignore[override]
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: PlannerRequestData,
    ) -> ExecutionResult:
        # Strawberry's, except that a subscription is refused: run as one result it
        # would not stream (execute_operation streams those that may).
        method = request_adapter.method
        allowed = {OperationType.QUERY}
        if method == "POST":
            allowed.add(OperationType.MUTATION)
        try:
            result = await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(method)) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error
        if request_data.register is not None and not isinstance(result, PreExecutionError):
            await self.documents.register(Resolved(request_data.query, request_data.register))
        media_type = media_type_of(request)
        sub_response.media_type = media_type
        if media_type == GRAPHQL_RESPONSE_JSON and is_request_error(result):
            sub_response.status_code = 400
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = process_result(result)
        if is_request_error(result):
            # "If the request raised any errors, the data entry must not be present"
            # (GraphQL spec, September 2025, section 7.1.2).
            del response["data"]
        return response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = Response(
            self.encode_json(response_data),
            status_code=sub_response.status_code or 200,
            headers={"vary": "Accept"},
        )
        response.headers.raw.extend(sub_response.headers.raw)
        response.headers["content-type"] = CONTENT_TYPES[sub_response.media_type or JSON]
        return response

    async def create_streaming_response(
        self,
        request: Request,
        stream: Callable[[], AsyncIterator[str]],
        sub_response: Response,
        headers: Mapping[str, str],
    ) -> Response:
        response = StreamingResponse(stream(), status_code=sub_response.status_code or 200)
        response.headers.raw.extend(sub_response.headers.raw)
        response.headers.update(headers)
        # A stream is one client's, and a proxy that buffered it would hold it back.
        response.headers.update({"cache-control": "no-store", "x-accel-buffering": "no"})
        return response

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except RequestRefused as refusal:
            if (record := current_request.get()) is not None:  # for the request log line
                record.error_codes = [refusal.code]
            return refusal_response(refusal, media_type_of(request))
        except HTTPException as error:
            return http_exception_response(error.status_code, error.reason, media_type_of(request))


def create_graphql_router(
    schema: BaseSchema,
    services: Services,
    *,
    documents: Documents | None = None,
    graphiql: bool = True,
    cookie_origins: Sequence[str] = (),
) -> GraphQLRouter[Context, None]:
    """`cookie_origins`: origins besides its own whose requests may use the refresh
    cookie of browser sessions (CORS_ORIGINS); browsers on them may also open the
    subscription socket."""
    live = services.live.config if services.live is not None else LiveConfig()
    router = PlannerGraphQLRouter(
        schema,
        path=GRAPHQL_PATH,
        graphql_ide="graphiql" if graphiql else None,
        context_getter=context_getter(services, cookie_origins),
        # Strawberry refuses mutations over GET, so GET stays safe for queries.
        allow_queries_via_get=True,
        documents=documents or Documents(persisted=None),
        # Subscriptions: graphql-transport-ws (the legacy graphql-ws protocol,
        # subscriptions-transport-ws, is refused with 4406), and multipart over HTTP.
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, MULTIPART_SUBSCRIPTION_PROTOCOL),
        connection_init_wait_timeout=timedelta(seconds=live.init_timeout_seconds),
        max_subscriptions_per_connection=live.max_subscriptions_per_connection,
        max_ws_message_bytes=live.max_message_bytes,
        allowed_origins=list(cookie_origins),
    )
    describe_graphql_routes(router)
    return router
