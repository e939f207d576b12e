"""The FastAPI app around a schema and the shared services: lifespan, routes and
middleware. What to build it from is decided by main.create_app."""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.schema import BaseSchema
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.config import AppConfig
from auth.housekeeping import periodic_purge
from db.migrations import ensure_schema_current
from graph.api_docs import add_browser_pages
from graph.context import Context, context_builder
from graph.cors import CredentialsForOrigins, cors_options
from graph.documents import build_documents
from graph.live_hub import running_hub
from graph.oauth import create_oauth_router
from graph.request_guard import GraphQLRequestGuard
from graph.request_log import RequestLogMiddleware
from graph.router import GRAPHQL_PATH, create_graphql_router
from graph.services import Services
from graph.socket_entry import SocketEntry
from mail.sender import running_sender

HEALTH_TIMEOUT_SECONDS = 3.0

# Extra routes built from the services, e.g. the bench's REST twin (bench/rest_twin.py).
RouterFactory = Callable[[Services], APIRouter]


def assemble_app(
    config: AppConfig,
    services: Services,
    schema: BaseSchema,
    routers: Sequence[RouterFactory] = (),
    *,
    lean_sockets: bool = True,
) -> FastAPI:
    """`lean_sockets`: subscription sockets skip FastAPI's routing (graph/socket_entry.py)."""
    app = FastAPI(
        title="Planner",
        lifespan=_lifespan(services, config.purge_interval_seconds),
        docs_url=None,  # served by add_browser_pages, from the app's own files
        redoc_url=None,  # it would load from a CDN
    )
    add_browser_pages(app)
    app.state.services = services
    app.state.schema = schema
    documents = build_documents(
        services.database,
        config.persisted_queries,
        config.trusted_documents,
        schema._schema,  # type: ignore[attr-defined]  # graphql-core's, on every Strawberry schema
        services.limits,
    )
    graphql_router = create_graphql_router(
        schema,
        services,
        documents=documents,
        graphiql=config.graphiql,
        cookie_origins=config.cors_origins,
    )
    app.include_router(graphql_router)
    app.include_router(create_oauth_router(services))
    for router in routers:
        app.include_router(router(services))
    _add_middleware(app, config)
    if lean_sockets:
        # Outside the HTTP middleware, inside the proxy headers (added below it: the
        # client address of a socket is the one a trusted proxy names).
        _add_socket_entry(app, graphql_router, services, config)
    _add_proxy_headers(app, config)
    app.add_api_route("/healthz", _healthz(services), methods=["GET"])
    return app


def _lifespan(
    services: Services, purge_interval_seconds: int
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            # Refuse to serve a schema older than the code (DatabaseBehind says why).
            await ensure_schema_current(services.database)
        except BaseException:
            await services.database.dispose()
            raise
        async with (
            periodic_purge(services.accounts, purge_interval_seconds, services.account_mail),
            running_sender(services.mail_sender),
            running_hub(services.live),
        ):
            yield
        await services.database.dispose()

    return lifespan


def _add_middleware(app: FastAPI, config: AppConfig) -> None:
    # Added innermost first: the request log wraps everything, CORS answers preflights
    # before the body checks, the guard refuses before GraphQL parses.
    app.add_middleware(GraphQLRequestGuard, max_body_bytes=config.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        **cors_options(config.cors_origins, allow_localhost=config.cors_allow_localhost),
    )
    app.add_middleware(CredentialsForOrigins, origins=config.cors_origins)
    app.add_middleware(RequestLogMiddleware)


def _add_socket_entry(
    app: FastAPI, view: GraphQLRouter[Context, None], services: Services, config: AppConfig
) -> None:
    build = context_builder(services, config.cors_origins)
    app.add_middleware(SocketEntry, view=view, path=GRAPHQL_PATH, build_context=build)


def _add_proxy_headers(app: FastAPI, config: AppConfig) -> None:
    if config.forwarded_allow_ips:
        # The client address (sign-in throttling) comes from X-Forwarded-For only when
        # the TCP peer is one of these proxies. Done here, not by uvicorn's own flag,
        # so it holds under any server; `serve` turns uvicorn's off.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=config.forwarded_allow_ips)


def _healthz(services: Services) -> Callable[[], object]:
    async def healthz() -> JSONResponse:
        try:
            await asyncio.wait_for(services.database.ping(), HEALTH_TIMEOUT_SECONDS)
        except Exception:  # any failure means "not ready"; details stay in the server
            return JSONResponse({"status": "unavailable", "database": "unavailable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok"})

    return healthz
