"""Authentication failures. Messages are the exact texts clients are told."""

from db.errors import DomainError


class AuthenticationError(DomainError):
    """The request is not (or no longer) signed in; maps to UNAUTHENTICATED."""


class NotAuthenticated(AuthenticationError):
    def __init__(self) -> None:
        super().__init__("Not authenticated")


class InvalidToken(AuthenticationError):
    def __init__(self) -> None:
        super().__init__("Invalid token")


class TokenExpired(AuthenticationError):
    def __init__(self) -> None:
        super().__init__("Token expired")


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
