"""The FastAPI router that serves a schema at /graphql (the schema is passed in)."""

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.schema import BaseSchema

from graph.context import Context, context_getter
from graph.graphql_openapi import describe_graphql_routes
from graph.http_errors import json_error
from graph.ide import graphiql_page
from graph.json_encoding import decode_json, encode_json
from graph.services import Services

# Strawberry's wording; the GraphQL-over-HTTP spec answers it with 405.
_MUTATION_OVER_GET = "mutations are not allowed when using GET"


class PlannerGraphQLRouter(GraphQLRouter[Context, None]):
    """Strawberry's refusals of a request (bad JSON, a batch, a mutation over GET)
    come back as GraphQL-shaped JSON with a code, not as plain text."""

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        # Strawberry lets a body that is valid JSON but not an object (e.g. "a"), or
        # not UTF-8 at all, through to an AttributeError or UnicodeDecodeError: a 500.
        # decode_json refuses what is not UTF-8 text, lone surrogate escapes included.
        try:
            value = self.decode_json(data)
        except ValueError as error:  # orjson.JSONDecodeError
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(value, dict | list):
            raise HTTPException(400, "The request body must be a JSON object")
        return value

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Strawberry's page loads GraphiQL from a CDN; this one from /static.
        return graphiql_page(request)

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as error:
            if error.reason == _MUTATION_OVER_GET:
                refusal = json_error(
                    405, "Mutations are not allowed over GET", "METHOD_NOT_ALLOWED"
                )
                refusal.headers["Allow"] = "POST"
                return refusal
            return json_error(error.status_code, error.reason, "BAD_REQUEST")


def create_graphql_router(
    schema: BaseSchema,
    services: Services,
    *,
    graphiql: bool = True,
) -> GraphQLRouter[Context, None]:
    router = PlannerGraphQLRouter(
        schema,
        path="/graphql",
        graphql_ide="graphiql" if graphiql else None,
        context_getter=context_getter(services),
        # Strawberry refuses mutations over GET, so GET stays safe for queries.
        allow_queries_via_get=True,
    )
    describe_graphql_routes(router)
    return router
