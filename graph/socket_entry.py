"""The subscription socket's way in, past FastAPI's routing and the HTTP middleware.

Stock, a WebSocket to /graphql runs through every middleware (each passes it on and
stays suspended in its frame for the socket's whole life), FastAPI's exception and
exit-stack layers, the router, and the dependency solver that builds the context.
A socket stays open for hours, and those frames, exit stacks and solved-dependency
maps are ~11 of the ~64 KB an open subscription cost (tracemalloc, 1,000 sockets);
issue 13 allows 60 KB. This middleware sends the socket straight to Strawberry's
view with the same context the dependency would build; the view checks the Origin,
picks the subprotocol and runs graph/live_socket.py's handler exactly as before.

It uses only public API (the view's `run`, Starlette's WebSocket). A path it does not
recognise goes the stock way, and FastPaths(lean_sockets=False) turns it off.
"""

import inspect
from collections.abc import Awaitable, Callable

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter

from graph.context import Context


class SocketEntry:
    def __init__(
        self,
        app: ASGIApp,
        view: GraphQLRouter[Context, None],
        path: str,
        build_context: Callable[[HTTPConnection], Awaitable[Context]],
    ) -> None:
        self.app = app
        self.view = view
        self.path = path
        self.build_context = build_context

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine function: what passes through costs no frame of its own.
        if scope["type"] == "websocket" and scope["path"] == self.path:
            return self._serve(scope, receive, send)
        return self.app(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        context = await self.build_context(websocket)
        # What Strawberry's FastAPI dependency sets on a context (strawberry/fastapi/
        # router.py); a socket has no response object and no background tasks.
        context.request = websocket
        await self.view.run(request=websocket, context=context, root_value=None)


def socket_entry_internals_missing() -> str | None:
    """What SocketEntry needs of Strawberry: a view whose `run` takes the context and
    root value (else Strawberry would build them through hooks FastAPI's view refuses)."""
    parameters = inspect.signature(GraphQLRouter.run).parameters
    if not {"request", "context", "root_value"} <= parameters.keys():
        return "GraphQLRouter.run(request, context, root_value) changed"
    return None
