"""The FastAPI router that serves a schema at /graphql (the schema is passed in)."""

import json
from typing import Any

from cross_web import HTTPException
from strawberry.fastapi import GraphQLRouter
from strawberry.schema import BaseSchema

from graph.context import Context, context_getter
from graph.services import Services


class PlannerGraphQLRouter(GraphQLRouter[Context, None]):
    def parse_json(self, data: str | bytes) -> Any:
        # Strawberry assumes an object (or a batch list) and fails with a 500 on any
        # other JSON value, such as a bare string; answer 400 like other bad bodies.
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "The request body must be a JSON object")
        if _may_hold_lone_surrogates(data) and not _is_unicode_text(parsed):
            raise HTTPException(400, "The request body must be valid Unicode text")
        return parsed


def _may_hold_lone_surrogates(data: str | bytes) -> bool:
    # JSON may escape a lone UTF-16 surrogate ("\ud800"), which Python decodes into a
    # string that cannot be encoded as UTF-8 later (database, bcrypt). Only bodies
    # with such an escape pay for the full check.
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    return b"\\ud" in raw.lower()


def _is_unicode_text(parsed: Any) -> bool:
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def create_graphql_router(
    schema: BaseSchema, services: Services, *, graphiql: bool = True
) -> GraphQLRouter[Context, None]:
    return PlannerGraphQLRouter(
        schema,
        path="/graphql",
        graphql_ide="graphiql" if graphiql else None,
        context_getter=context_getter(services),
        # Strawberry refuses mutations over GET, so GET stays safe for queries.
        allow_queries_via_get=True,
    )
