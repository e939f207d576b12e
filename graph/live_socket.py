"""graphql-transport-ws at /graphql, with Planner's authentication and limits.

Strawberry's handler, with connection_init replaced: the token (from the payload's
Authorization key, any case, or else the upgrade request's header) is verified by the
same code as every query (Accounts.authenticate_session), and a refusal closes the
socket with 4403 and exactly the query's message. Then, while the socket is open:
- it closes with 4403 "Token expired" when its token expires;
- after a revocation of the user's tokens (the hub hears of it from any worker or
  instance), the token is verified again and a refusal closes the socket with 4403
  "Token revoked";
- a user holds at most MAX_CONNECTIONS_PER_USER sockets in all (4429), a message
  from the client is at most SUBSCRIPTION_MAX_MESSAGE_BYTES (1009 otherwise);
- which document an operation runs is decided as over HTTP (graph/documents.py): in
  trusted-documents mode only the manifest's, and a persisted query by its hash.
"""

import asyncio
from collections.abc import AsyncGenerator, Callable, Coroutine, Mapping
from contextlib import suppress
from datetime import timedelta
from typing import Any, cast

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
    SubscribeMessage,
)

from auth.errors import AuthenticationError, TokenExpired, TokenRevoked
from graph.context import Context
from graph.documents import Documents
from graph.http_errors import RequestRefused
from graph.http_request import PlannerRequestData
from graph.live_hub import LiveHub

UNAUTHORIZED = 4403
TOO_MANY_CONNECTIONS = 4429
MESSAGE_TOO_BIG = 1009


def authorization_from(payload: Mapping[str, Any], header: str | None) -> str | None:
    """The connection_init payload's Authorization value (key in any case), else the
    upgrade request's header. A value that is not a string counts as an invalid one."""
    for key, value in payload.items():
        if isinstance(key, str) and key.lower() == "authorization":
            return value if isinstance(value, str) else "Invalid"
    return header


class LiveWebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter with a cap on the size of what a client sends (the
    router's max_ws_message_bytes)."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit: int = getattr(self.view, "max_ws_message_bytes", 64 * 1024)
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text.encode()) > limit:
                    await self.close(MESSAGE_TOO_BIG, "Message too big")
                    return
                try:
                    yield self.view.decode_json(text)
                except ValueError as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
        except KeyError as error:
            raise NonTextMessageReceived from error
        except (WebSocketDisconnect, RuntimeError):
            # RuntimeError: the server closed the socket (expiry, revocation) while
            # this loop waited for the client.
            pass

    async def send_json(self, message: Mapping[str, object]) -> None:
        """As text frames, whatever the router's JSON encoder returns: the protocol's
        messages are text, and browser and Node clients (graphql-ws over `ws`) read a
        binary frame as a Buffer, not as a message."""
        encoded = self.view.encode_json(message)
        text = encoded.decode() if isinstance(encoded, bytes) else encoded
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as error:
            raise WebSocketDisconnected from error

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        with suppress(RuntimeError):
            await self.ws.close(code=code, reason=reason)


class LiveTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    _user_id: Any = None
    _hub: LiveHub | None = None
    # The init timeout and the expiry are timer handles, not sleeping tasks (Strawberry
    # starts a task for the first): a task and its coroutine frame cost ~1.5 KB for
    # every open socket, for hours (issue 13's memory target).
    _timer: asyncio.TimerHandle | None = None
    _closing: asyncio.Task[None] | None = None

    def on_request_accepted(self) -> None:
        delay = self.connection_init_wait_timeout.total_seconds()
        self._timer = self._later(delay, self._init_timed_out)

    async def _init_timed_out(self) -> None:
        if self.connection_init_received:
            return
        self.connection_timed_out = True
        await self.websocket.close(code=4408, reason="Connection initialisation timeout")

    def _later(
        self, delay: float, close: Callable[[], Coroutine[Any, Any, None]]
    ) -> asyncio.TimerHandle:
        def fire() -> None:
            self._closing = asyncio.ensure_future(close())

        return asyncio.get_running_loop().call_later(delay, fire)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        if self.connection_timed_out:
            return
        self._cancel_timer()
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            await self.websocket.close(code=4400, reason="Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.websocket.close(code=4429, reason="Too many initialisation requests")
            return
        self.connection_init_received = True
        context = self.context
        context.connection_params = payload
        context.authorization = authorization_from(payload, context.authorization)
        try:
            user, claims = await context.services.accounts.authenticate_session(
                context.authorization
            )
        except AuthenticationError as refusal:
            await self.websocket.close(code=UNAUTHORIZED, reason=refusal.message)
            return
        context.signed_in_as(user)
        hub = context.services.live
        if hub is not None:
            if not await hub.register(user.id, self):
                await self.websocket.close(code=TOO_MANY_CONNECTIONS, reason="Too many connections")
                return
            self._hub, self._user_id = hub, user.id
        clock = context.services.accounts.clock
        # Valid up to and including the second of exp (auth/tokens.py): refused from
        # the next one on.
        delay = (claims.expires_at + timedelta(seconds=1) - clock()).total_seconds()
        self._timer = self._later(max(delay, 0.0), self._close_expired)
        await self.send_message({"type": "connection_ack"})
        self.connection_acknowledged = True

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        documents = getattr(self.view, "documents", None)
        payload = message.get("payload")
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and len(self.operations) >= limit
            and message.get("id") not in self.operations
        ):
            # Strawberry's refusal, with the code every error of this API carries.
            await self._refuse(
                message["id"], "Subscription limit reached", "SUBSCRIPTION_LIMIT_REACHED"
            )
            return
        if (
            isinstance(documents, Documents)
            and self.connection_acknowledged
            and isinstance(payload, dict)
            and message.get("id") not in self.operations
        ):
            refusal = await self._resolve_document(documents, cast(dict[str, Any], payload))
            if refusal is not None:
                await self._refuse(message["id"], refusal.message, refusal.code)
                return
        await super().handle_subscribe(message)

    async def _refuse(self, operation_id: str, text: str, code: str) -> None:
        """An `error` message on one operation; the socket stays open."""
        refusal: ErrorMessage = {
            "id": operation_id,
            "type": "error",
            "payload": [{"message": text, "extensions": {"code": code}}],
        }
        await self.send_message(refusal)

    async def _resolve_document(
        self, documents: Documents, payload: dict[str, Any]
    ) -> RequestRefused | None:
        """Put the document that runs into `payload["query"]`; the refusal, if any."""
        query, extensions = payload.get("query"), payload.get("extensions")
        document_id = payload.get("documentId")
        if not isinstance(query, str | None) or not isinstance(extensions, dict | None):
            return RequestRefused(400, "Malformed subscribe payload", "BAD_REQUEST")
        request = PlannerRequestData(
            query=query,
            variables=None,
            operation_name=None,
            extensions=extensions,
            document_id=document_id if isinstance(document_id, str) else None,
        )
        try:
            resolved = await documents.resolve(request)
        except RequestRefused as refusal:
            return refusal
        if resolved.query is None:
            return RequestRefused(400, "No GraphQL query found in the request", "BAD_REQUEST")
        payload["query"] = resolved.query
        return None

    async def _close_expired(self) -> None:
        await self._close_unauthorized(TokenExpired().message)

    async def recheck(self) -> None:
        """After a revocation of the user's tokens: verify the token as a query would."""
        try:
            await self.context.services.accounts.authenticate(self.context.authorization)
        except TokenExpired as expired:
            await self._close_unauthorized(expired.message)
        except AuthenticationError:
            # Revoked, or the account is gone ("Invalid token" to a query): either way
            # the user's tokens were revoked.
            await self._close_unauthorized(TokenRevoked().message)
        # Anything else (the database unreachable) propagates: the feed delivers the
        # revocation again until every socket was decided (db/change_feed.py).

    async def _close_unauthorized(self, reason: str) -> None:
        await self._forget()
        # Nothing more reaches this socket, whatever its operations had queued.
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        await self.websocket.close(code=UNAUTHORIZED, reason=reason)

    async def _forget(self) -> None:
        hub, self._hub = self._hub, None
        if hub is not None:
            await hub.unregister(self._user_id, self)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def shutdown(self) -> None:
        await self._forget()
        self._cancel_timer()
        closing = self._closing
        if closing is not None and closing is not asyncio.current_task():
            with suppress(Exception, asyncio.CancelledError):
                await closing
        await super().shutdown()
