"""Domain errors shared by every layer; graph/errors.py maps them to GraphQL codes."""


class DomainError(Exception):
    """An expected failure whose message is safe to show to the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad user input; `field` names the argument or input field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class FailedPrecondition(DomainError):
    """The request is fine but the object is not in a state that allows it (answering
    a DRAFT, CANCELLED or ended event)."""


class Overflowed(DomainError):
    """A live subscription fell too far behind: its queue of undelivered changes was
    full. The operation ends; the client subscribes again and refetches."""

    def __init__(self) -> None:
        super().__init__("Too many undelivered changes: subscribe again and refetch")
