"""AuthPayload: what every mutation that signs someone in returns."""

from datetime import timedelta

import strawberry

from auth.accounts import SignedIn
from auth.refresh_tokens import DEFAULT_REFRESH_TTL
from auth.tokens import TokenSettings
from schema.types import User


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds()) // 60


@strawberry.type(description="What signUp, signIn, refreshToken and changePassword return.")
class AuthPayload:
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <accessToken>`."
    )
    token_type: str = strawberry.field(description='Always "bearer".')
    expires_in: int = strawberry.field(
        description="Seconds until accessToken expires "
        f"({_minutes(TokenSettings.access_ttl)} minutes unless configured otherwise); after "
        'that, guarded fields answer UNAUTHENTICATED "Token expired".'
    )
    user: User = strawberry.field(description="The signed-in user.")
    refresh_token: str = strawberry.field(
        description="Opaque; keep it safe and exchange it with refreshToken for a new pair. "
        "Each refresh token works once."
    )
    refresh_expires_in: int = strawberry.field(
        description="Seconds until refreshToken expires "
        f"({DEFAULT_REFRESH_TTL.days} days unless configured otherwise)."
    )


def auth_payload(signed_in: SignedIn) -> AuthPayload:
    return AuthPayload(
        access_token=signed_in.access.token,
        token_type="bearer",  # noqa: S106 (a token type, not a secret)
        expires_in=signed_in.access.expires_in,
        user=User.from_row(signed_in.user, is_viewer=True),
        refresh_token=signed_in.refresh.token,
        refresh_expires_in=signed_in.refresh.expires_in,
    )
