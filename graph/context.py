"""The per-request context: who is asking (decided at most once), and the loaders."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from fastapi import Request, Security
from fastapi.security import OAuth2PasswordBearer
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from db.users import UserRecord
from graph.browser_sessions import (
    COOKIE_NAME,
    clear_refresh_cookie,
    cookie_allowed,
    set_refresh_cookie,
)
from graph.loaders import Loaders
from graph.services import Services


class _DeclaredBearer(OAuth2PasswordBearer):
    """Declared only so that the OpenAPI page (/docs) offers "Authorize" with the
    OAuth2 password grant at /auth/token; the header itself is read and checked below.
    Takes any connection, so the same context getter serves the WebSocket route."""

    async def __call__(self, request: HTTPConnection) -> str | None:
        return None


bearer_scheme = _DeclaredBearer(
    tokenUrl="/auth/token", auto_error=False, scheme_name="OAuth2PasswordBearer"
)


class Context(BaseContext):
    def __init__(
        self,
        services: Services,
        authorization: str | None,
        client_address: str | None = None,
        cookie_origins: Collection[str] = (),
    ) -> None:
        super().__init__()
        self.services = services
        self.authorization = authorization
        # The TCP peer, or the client a trusted proxy names (main.py's proxy middleware);
        # never a header a client sets itself. Sign-in throttling counts per address.
        self.client_address = client_address
        self.loaders = Loaders(services.database, self.current_user)
        # Origins besides the API's own whose requests may use the refresh cookie.
        self.cookie_origins = cookie_origins
        self._user: asyncio.Future[UserRecord] | None = None

    async def current_user(self) -> UserRecord:
        """The signed-in user, or the AuthenticationError that says why there is none.

        Root fields of a query run concurrently; they all await one shared future, so
        the token is verified and the user loaded once per request however many
        guarded fields ask.
        """
        if self._user is None:
            self._user = asyncio.ensure_future(self._authenticate())
        return await self._user

    def fresh_loaders(self) -> None:
        """New, empty loaders: a socket's context outlives many deliveries, and each
        must read the database as it is then."""
        self.loaders = Loaders(self.services.database, self.current_user)

    def signed_in_as(self, user: UserRecord) -> None:
        """The user a socket's connection_init authenticated (graph/live_socket.py)."""
        future: asyncio.Future[UserRecord] = asyncio.get_running_loop().create_future()
        future.set_result(user)
        self._user = future
        # Not primed into the loaders: every delivery reads through fresh ones.

    def known_user_id(self) -> uuid.UUID | None:
        """The signed-in user's id if this request was authenticated, for the log;
        None when nothing asked or the token was refused."""
        future = self._user
        if future is None or not future.done() or future.cancelled() or future.exception():
            return None
        return future.result().id

    def browser_request(self) -> bool:
        """May this request use the refresh cookie (graph/browser_sessions.py)?"""
        return isinstance(self.request, Request) and cookie_allowed(
            self.request, self.cookie_origins
        )

    def refresh_cookie(self) -> str | None:
        if not self.browser_request() or not isinstance(self.request, Request):
            return None
        return self.request.cookies.get(COOKIE_NAME)

    def set_refresh_cookie(self, token: str, max_age: int) -> None:
        if self.response is not None:
            set_refresh_cookie(self.response, token, max_age)

    def clear_refresh_cookie(self) -> None:
        if self.response is not None and self.browser_request():
            clear_refresh_cookie(self.response)

    async def _authenticate(self) -> UserRecord:
        user = await self.services.accounts.authenticate(self.authorization)
        self.loaders.user_by_id.prime(user.id, user)
        return user


# What every resolver and permission of this API receives as `info`: Strawberry still
# recognises the parameter through the alias (it looks at the annotation's origin).
Info = StrawberryInfo[Context, Any]


def client_address(request: HTTPConnection) -> str | None:
    return request.client.host if request.client else None


def context_builder(
    services: Services, cookie_origins: Collection[str] = ()
) -> Callable[[HTTPConnection], Awaitable[Context]]:
    """Builds the Context of a request or socket from its headers."""
    origins = frozenset(origin.rstrip("/") for origin in cookie_origins)

    async def build(connection: HTTPConnection) -> Context:
        return Context(
            services,
            connection.headers.get("authorization"),
            client_address(connection),
            origins,
        )

    return build


def context_getter(services: Services, cookie_origins: Collection[str] = ()):  # type: ignore[no-untyped-def]
    """A FastAPI dependency that builds the Context from the request headers."""
    build = context_builder(services, cookie_origins)

    async def get_context(
        request: HTTPConnection, _bearer: str | None = Security(bearer_scheme)
    ) -> Context:
        return await build(request)

    return get_context
