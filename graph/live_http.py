"""Subscriptions over HTTP: Strawberry's multipart transport (Apollo Client's
multipart subscriptions: POST /graphql with `Accept: multipart/mixed;subscriptionSpec=1.0`),
with the guarantees of the socket (graph/live_socket.py):
- the token (the Authorization header) is verified before the stream opens, by the
  code every query uses; a refusal is answered at once, GraphQL-shaped, with the
  query's message and code, and no stream opens;
- an open stream is held in the hub like a socket: MAX_CONNECTIONS_PER_USER counts
  it, and after a revocation of the user's tokens the hub calls `recheck()`;
- it ends at its token's expiry second with a last payload whose error is "Token
  expired", or after a revocation with "Token revoked" (code UNAUTHENTICATED, as
  for queries), and nothing reaches it after that, whatever was queued.
"""

import asyncio
import uuid
from collections.abc import AsyncGenerator
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from graphql import GraphQLError, OperationType, parse
from graphql.utilities import get_operation_ast
from strawberry.types import ExecutionResult, SubscriptionExecutionResult

from auth.errors import AuthenticationError, TokenExpired, TokenRevoked
from graph.context import Context
from graph.errors import domain_extensions
from graph.http_errors import RequestRefused
from graph.live_hub import LiveHub
from graph.request_id import current_request

TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS"


def is_subscription(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """Whether the operation that would run is a subscription. A document that does not
    parse, or names no operation, is not: the query path reports it as it should.
    Asked only of requests whose Accept asks for a stream, so the extra parse is paid by
    subscriptions alone (not cached: a cache keyed by documents of up to MAX_BODY_BYTES
    could hold a lot of memory)."""
    if query is None:
        return False
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return False
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation == OperationType.SUBSCRIPTION


async def open_stream(context: Context) -> "LiveStream":
    """Authenticate as a query would; RequestRefused when the token is refused or the
    user already holds MAX_CONNECTIONS_PER_USER sockets and streams on this worker."""
    try:
        user, claims = await context.services.accounts.authenticate_session(context.authorization)
    except AuthenticationError as refusal:
        extensions = domain_extensions(refusal)
        raise RequestRefused(
            401,
            refusal.message,
            extensions.pop("code"),
            extensions=extensions,
            headers={"www-authenticate": "Bearer"},
        ) from refusal
    context.signed_in_as(user)
    if (record := current_request.get()) is not None:  # for the request log line
        record.user_id = str(user.id)
    hub = context.services.live
    if hub is not None and not await hub.has_room(user.id):
        raise RequestRefused(429, "Too many connections", TOO_MANY_CONNECTIONS, legacy_status=429)
    return LiveStream(context, hub, user.id, claims.expires_at)


class LiveStream:
    """One subscription streamed over HTTP; to the hub, a connection like a socket."""

    def __init__(
        self, context: Context, hub: LiveHub | None, user_id: uuid.UUID, expires_at: datetime
    ) -> None:
        self.context = context
        self._hub = hub
        self._user_id = user_id
        self._expires_at = expires_at
        self._ended: asyncio.Future[AuthenticationError] = (
            asyncio.get_running_loop().create_future()
        )

    async def recheck(self) -> None:
        """After a revocation of the user's tokens: verify the token as a query would."""
        try:
            await self.context.services.accounts.authenticate(self.context.authorization)
        except TokenExpired as expired:
            self._end(expired)
        except AuthenticationError:
            # Revoked, or the account is gone: either way the user's tokens were revoked.
            self._end(TokenRevoked())
        # Anything else (the database unreachable) propagates: the feed delivers the
        # revocation again until every connection was decided (db/change_feed.py).

    def _end(self, refusal: AuthenticationError) -> None:
        if not self._ended.done():
            self._ended.set_result(refusal)

    async def follow(self, results: SubscriptionExecutionResult) -> AsyncGenerator[Any, None]:
        """`results`, until the token stops working: then one last result with the
        refusal, and the subscription is closed. Registered in the hub only while it
        is being read, so a response that is never sent holds no place there."""
        if self._hub is not None and not await self._hub.register(self._user_id, self):
            # Another stream or socket took the last place since open_stream.
            yield _refusal("Too many connections", {"code": TOO_MANY_CONNECTIONS})
            return
        clock = self.context.services.accounts.clock
        # Valid up to and including the second of exp (auth/tokens.py).
        delay = (self._expires_at + timedelta(seconds=1) - clock()).total_seconds()
        expiry = asyncio.get_running_loop().call_later(max(delay, 0.0), self._end, TokenExpired())
        upcoming: asyncio.Task[Any] | None = None
        try:
            while True:
                upcoming = asyncio.ensure_future(anext(results))
                await asyncio.wait({upcoming, self._ended}, return_when=asyncio.FIRST_COMPLETED)
                if self._ended.done():
                    # Preferred over a result that arrived at the same time: nothing
                    # reaches a stream once its token stopped working.
                    refusal = self._ended.result()
                    yield _refusal(refusal.message, domain_extensions(refusal))
                    return
                try:
                    result = upcoming.result()
                except StopAsyncIteration:
                    return
                upcoming = None
                yield result
        finally:
            expiry.cancel()
            if self._hub is not None:
                await self._hub.unregister(self._user_id, self)
            if upcoming is not None and not upcoming.done():
                upcoming.cancel()
                with suppress(BaseException):
                    await upcoming
            # Ends the resolver's subscription in the hub (its `with` block).
            with suppress(Exception):
                await results.aclose()  # type: ignore[attr-defined]


def _refusal(message: str, extensions: dict[str, Any]) -> ExecutionResult:
    if (record := current_request.get()) is not None:  # for the request log line
        record.error_codes.append(str(extensions["code"]))
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])
