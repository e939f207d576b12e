"""Browser sessions: the refresh token in an HttpOnly cookie instead of the payload,
out of JavaScript's reach (so an XSS cannot take it away).

The cookie is `__Host-` prefixed (Secure, Path=/, no Domain: only this host gets it),
HttpOnly and SameSite=Strict. It is honoured only on a POST with an application/json
body whose Origin is the API's own or one of CORS_ORIGINS: a cross-site form cannot
send JSON, a GET never carries it to a mutation, and no other origin can use it.
The access token stays a Bearer header.
"""

from collections.abc import Collection

from starlette.requests import Request
from starlette.responses import Response

COOKIE_NAME = "__Host-planner-refresh"


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def cookie_allowed(request: Request, origins: Collection[str]) -> bool:
    """May this request use (and receive) the refresh cookie?"""
    if request.method != "POST":
        return False
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return False
    origin = request.headers.get("origin")
    return origin is not None and (origin == own_origin(request) or origin in origins)


def set_refresh_cookie(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )


def clear_refresh_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE_NAME, path="/", secure=True, httponly=True, samesite="strict")
