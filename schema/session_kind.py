"""How a client keeps its refresh token: SessionKind and what it does to a payload."""

from enum import Enum
from typing import Any

import strawberry

from auth.accounts import SignedIn
from db.errors import InvalidInput
from graph.context import Info
from schema.auth_payload import AuthPayload


@strawberry.enum(description="Where the refresh token travels.")
class SessionKind(Enum):
    TOKEN = strawberry.enum_value("TOKEN", description="In the payload (apps, scripts).")
    BROWSER = strawberry.enum_value(
        "BROWSER",
        description="Only in an HttpOnly cookie (refreshToken in the payload is empty); for "
        "a frontend calling from the API's own origin or one of CORS_ORIGINS, with "
        "credentials included.",
    )


SESSION_DESCRIPTION = (
    "BROWSER: the refresh token is set in an HttpOnly, SameSite=Strict cookie instead "
    "of the payload (needs a POST application/json request from an allowed Origin)."
)


def session_argument() -> Any:
    return strawberry.argument(description=SESSION_DESCRIPTION)


def check_session_kind(info: Info, session: SessionKind | None) -> None:
    """Refuse BROWSER where the cookie could never be used: before any work is done."""
    if session is SessionKind.BROWSER and not info.context.browser_request():
        raise InvalidInput(
            "session",
            "Browser sessions need a POST application/json request from the API's own "
            "origin or one of its CORS origins",
        )


def session_payload(
    info: Info,
    payload: AuthPayload,
    signed_in: SignedIn,
    session: SessionKind | None,
) -> AuthPayload:
    """`payload` as the client gets it: for a browser session the refresh token goes
    into the cookie instead."""
    if session is SessionKind.BROWSER:
        info.context.set_refresh_cookie(signed_in.refresh.token, signed_in.refresh.expires_in)
        payload.refresh_token = ""
    return payload
