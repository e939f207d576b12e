"""The per-request context: who is asking (decided at most once), and the loaders."""

import asyncio

from fastapi import Request
from strawberry.fastapi import BaseContext

from db.models import User
from graph.loaders import Loaders
from graph.services import Services


class Context(BaseContext):
    def __init__(
        self, services: Services, authorization: str | None, *, auth_required: bool = True
    ) -> None:
        super().__init__()
        self.services = services
        self.authorization = authorization
        # False only under the bench-only BENCH_AUTH_OFF setting (never in production).
        self.auth_required = auth_required
        self.loaders = Loaders(services.database)
        self._user: asyncio.Future[User] | None = None

    async def current_user(self) -> User:
        """The signed-in user, or the AuthenticationError that says why there is none.

        Root fields of a query run concurrently; they all await one shared future, so
        the token is verified and the user loaded once per request however many
        guarded fields ask.
        """
        if self._user is None:
            self._user = asyncio.ensure_future(self._authenticate())
        return await self._user

    async def _authenticate(self) -> User:
        user = await self.services.accounts.authenticate(self.authorization)
        self.loaders.user_by_id.prime(user.id, user)
        return user


def context_getter(services: Services, *, auth_required: bool = True):  # type: ignore[no-untyped-def]
    """A FastAPI dependency that builds the Context from the request headers."""

    async def get_context(request: Request) -> Context:
        return Context(services, request.headers.get("authorization"), auth_required=auth_required)

    return get_context
