"""A plain FastAPI endpoint that does the events query's work with no GraphQL: it
verifies the bearer token with python-jose and reads a page of events with their
creators' emails in ONE joined query through async SQLAlchemy (stock aiosqlite). The
outside check of issue 11 compares the planner's events query against such an app.

`python -m bench.plain_app --port N` (SECRET_KEY and DATABASE_URL from the environment).
"""

import argparse
import os
import uuid
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI, Request, Response
from jose import JWTError, jwt
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from db.urls import async_database_url

_PAGE = text(
    "SELECT event.id, event.title, event.tags, user_account.email FROM event "
    "JOIN user_account ON user_account.id = event.creator_id "
    "ORDER BY event.created_at DESC, event.id DESC LIMIT :first"
)


def create_plain_app() -> FastAPI:
    secret = os.environ["SECRET_KEY"]
    engine = create_async_engine(async_database_url(os.environ["DATABASE_URL"]))
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/events")
    async def events(request: Request, first: int = 20) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise JWTError("no bearer token")
            jwt.decode(token, secret, algorithms=["HS256"], audience="planner", issuer="planner")
        except JWTError:
            return Response(b'{"error":"Invalid token"}', 401, media_type="application/json")
        async with engine.connect() as connection:
            rows = (await connection.execute(_PAGE, {"first": first})).all()
        edges: list[dict[str, Any]] = [
            {
                "node": {
                    "id": str(_uuid(ident)),
                    "title": title,
                    "tags": orjson.loads(tags),
                    "creator": {"email": email},
                }
            }
            for ident, title, tags, email in rows
        ]
        body = orjson.dumps({"data": {"events": {"edges": edges}}})
        return Response(body, media_type="application/json")

    return app


def _uuid(value: Any) -> uuid.UUID:
    """SQLAlchemy's Uuid type stores 32 hex digits on SQLite; a text() query gets them raw."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(hex=str(value))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.plain_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1, choices=[1])
    args = parser.parse_args()
    uvicorn.run(
        "bench.plain_app:create_plain_app",
        factory=True,
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
