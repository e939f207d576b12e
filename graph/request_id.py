"""The record of the request being served, kept in a context variable so the error
mapping and the request log can reach it without passing it through every call."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RequestRecord:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    operation: str | None = None
    user_id: str | None = None
    error_codes: list[str] = field(default_factory=list)


current_request: ContextVar[RequestRecord | None] = ContextVar("planner_request", default=None)


def current_request_id() -> str | None:
    record = current_request.get()
    return None if record is None else record.request_id
