"""Which browser origins may call the API, as CORSMiddleware options.

Access tokens travel in the Authorization header, which must be allowed, since a
frontend's request with it is preflighted. Credentials (the refresh cookie of browser
sessions, graph/browser_sessions.py) are allowed only for the origins in CORS_ORIGINS,
never for the loopback origins development also lets in: CredentialsForOrigins adds
the header for those alone.
"""

from collections.abc import Sequence
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Any port on the loopback names: the dev servers of frontends.
LOCALHOST_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?"


def cors_options(origins: Sequence[str], *, allow_localhost: bool) -> dict[str, Any]:
    return {
        "allow_origins": [origin.rstrip("/") for origin in origins],
        "allow_origin_regex": LOCALHOST_ORIGINS if allow_localhost else None,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["Authorization", "Content-Type"],
        "expose_headers": ["X-Request-ID"],
        "allow_credentials": False,
        "max_age": 600,
    }


class CredentialsForOrigins:
    """Adds `Access-Control-Allow-Credentials: true` to the CORS answers (preflight and
    actual) for requests from `origins`; wraps the CORS middleware."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.origins = frozenset(origin.rstrip("/") for origin in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = Headers(scope=scope).get("origin") if scope["type"] == "http" else None
        if origin is None or origin not in self.origins:
            await self.app(scope, receive, send)
            return

        async def send_with_credentials(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("access-control-allow-origin") == origin:
                    headers["Access-Control-Allow-Credentials"] = "true"
            await send(message)

        await self.app(scope, receive, send_with_credentials)
