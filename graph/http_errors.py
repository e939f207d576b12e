"""Refusals made before GraphQL runs, shaped like GraphQL errors so clients read them
the same way: `{"errors": [{"message": ..., "extensions": {"code": ...}}]}`."""

from typing import Any

from starlette.responses import JSONResponse


def json_error(status: int, message: str, code: str, **extensions: Any) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status)
