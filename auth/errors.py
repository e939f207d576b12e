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
