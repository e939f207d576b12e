"""POST /auth/token: the OAuth2 token endpoint (RFC 6749) for tools and REST clients.

Two grants, both on the same use cases as the GraphQL mutations: `password`
(section 4.3, the username is the email) and `refresh_token` (section 6, rotating
exactly like the refreshToken mutation). Errors follow section 5.2; a throttled
sign-in answers 429 with Retry-After and the registered `slow_down` code.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from auth.accounts import SignedIn
from auth.errors import AuthenticationError, TooManyAttempts
from graph.context import client_address
from graph.services import Services

# Token responses must not be cached (RFC 6749 section 5.1).
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

FormField = Annotated[str | None, Form()]


def token_response(signed_in: SignedIn) -> JSONResponse:
    return JSONResponse(
        {
            "access_token": signed_in.access.token,
            "token_type": "bearer",
            "expires_in": signed_in.access.expires_in,
            "refresh_token": signed_in.refresh.token,
            "refresh_expires_in": signed_in.refresh.expires_in,
        },
        headers=_NO_STORE,
    )


def oauth_error(
    error: str, description: str, status: int = 400, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**_NO_STORE, **(headers or {})},
    )


def create_oauth_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/auth", tags=["auth"])

    @router.post(
        "/token",
        summary="OAuth2 token endpoint (password and refresh_token grants)",
        responses={400: {"description": "RFC 6749 section 5.2 error"}},
    )
    async def token(
        request: Request,
        grant_type: FormField = None,
        username: FormField = None,
        password: FormField = None,
        refresh_token: FormField = None,
        scope: FormField = None,  # accepted and ignored: there are no scopes
    ) -> Any:
        accounts = services.accounts
        try:
            if grant_type == "password":
                if not username or password is None:
                    return oauth_error("invalid_request", "username and password are required")
                signed_in = await accounts.sign_in(username, password, client_address(request))
            elif grant_type == "refresh_token":
                if not refresh_token:
                    return oauth_error("invalid_request", "refresh_token is required")
                signed_in = await accounts.refresh(refresh_token)
            elif not grant_type:
                return oauth_error("invalid_request", "grant_type is required")
            else:
                return oauth_error("unsupported_grant_type", "Use password or refresh_token")
        except TooManyAttempts as error:
            retry = {"Retry-After": str(error.retry_after)}
            return oauth_error("slow_down", error.message, status=429, headers=retry)
        except AuthenticationError as error:
            return oauth_error("invalid_grant", error.message)
        return token_response(signed_in)

    return router
