"""Authentication failures. Messages are the exact texts clients are told.

Messages and codes are what clients match on and never change; `extensions.hint`
(set here, merged in by graph/errors.py) tells a person what to send instead.
"""

from db.errors import DomainError

SEND_BEARER_HINT = "Send the header Authorization: Bearer <accessToken> (from signIn or signUp)"
REFRESH_HINT = "Refresh with refreshToken, or sign in again"


class AuthenticationError(DomainError):
    """The request is not (or no longer) signed in; maps to UNAUTHENTICATED."""


class NotAuthenticated(AuthenticationError):
    """No Authorization header (or an empty one)."""

    def __init__(self) -> None:
        super().__init__("Not authenticated")
        self.extensions = {"hint": SEND_BEARER_HINT}


class InvalidToken(AuthenticationError):
    def __init__(self) -> None:
        super().__init__("Invalid token")


class NotBearer(InvalidToken):
    """An Authorization header with another scheme (Basic ...) or none (a bare
    token): the same message as any invalid token, with the hint on what to send."""

    def __init__(self) -> None:
        super().__init__()
        self.extensions = {"hint": SEND_BEARER_HINT}


class TokenExpired(AuthenticationError):
    def __init__(self) -> None:
        super().__init__("Token expired")
        self.extensions = {"hint": REFRESH_HINT}


class InvalidCredentials(AuthenticationError):
    def __init__(self) -> None:
        super().__init__("Incorrect email or password")


class TokenRevoked(AuthenticationError):
    """Issued before the user signed out everywhere or changed the password."""

    def __init__(self) -> None:
        super().__init__("Token revoked")


class InvalidRefreshToken(AuthenticationError):
    """Unknown, expired or revoked refresh token."""

    def __init__(self) -> None:
        super().__init__("Invalid refresh token")


class RefreshTokenReused(AuthenticationError):
    """A refresh token that was already exchanged came back: its family is revoked."""

    def __init__(self) -> None:
        super().__init__("Refresh token reused")


class TooManyAttempts(DomainError):
    """Sign-in throttled; `extensions` tells the client when to try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed sign-in attempts; try again in {retry_after} seconds")
        self.retry_after = retry_after
        self.extensions = {"retryAfter": retry_after}
