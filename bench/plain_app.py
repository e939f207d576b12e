"""A plain FastAPI endpoint that does the events query's work with no GraphQL, written
the way FastAPI's documentation writes one: it verifies the bearer token with
python-jose, reads a page of events with their creators' display names in ONE joined query
through async SQLAlchemy (stock aiosqlite), and returns a dict that FastAPI encodes.
The outside check of issue 11 compares the planner's events query against such an app.

`python -m bench.plain_app --port N` (SECRET_KEY and DATABASE_URL from the environment).
"""

import argparse
import os
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from jose import JWTError, jwt
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlmodel import col, select

from db.models import Event, User
from db.urls import async_database_url

_PAGE = (
    select(col(Event.id), col(Event.title), col(Event.tags), col(User.display_name))
    .join(User, col(User.id) == col(Event.creator_id))
    .where(col(Event.visibility) == "PUBLIC", col(Event.status) == "PUBLISHED")
    .order_by(col(Event.created_at).desc(), col(Event.id).desc())
)


def create_plain_app() -> FastAPI:
    secret = os.environ["SECRET_KEY"]
    engine = create_async_engine(async_database_url(os.environ["DATABASE_URL"]))
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/events")
    async def events(request: Request, first: int = 20) -> Any:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise JWTError("no bearer token")
            jwt.decode(token, secret, algorithms=["HS256"], audience="planner", issuer="planner")
        except JWTError:
            return Response(b'{"error":"Invalid token"}', 401, media_type="application/json")
        async with AsyncSession(engine) as session:
            rows = (await session.execute(_PAGE.limit(first))).all()
        edges = [
            {
                "node": {
                    "id": str(ident),
                    "title": title,
                    "tags": tags,
                    "creator": {"displayName": name},
                }
            }
            for ident, title, tags, name in rows
        ]
        return {"data": {"events": {"edges": edges}}}

    return app


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
