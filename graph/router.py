"""The FastAPI router that serves a schema at /graphql (the schema is passed in)."""

from strawberry.fastapi import GraphQLRouter
from strawberry.schema import BaseSchema

from graph.context import Context, context_getter
from graph.json_encoding import encode_json
from graph.services import Services


class _Router(GraphQLRouter[Context, None]):
    def encode_json(self, data: object) -> bytes:
        return encode_json(data)


def create_graphql_router(
    schema: BaseSchema,
    services: Services,
    *,
    graphiql: bool = True,
    auth_required: bool = True,
) -> GraphQLRouter[Context, None]:
    return _Router(
        schema,
        path="/graphql",
        graphql_ide="graphiql" if graphiql else None,
        context_getter=context_getter(services, auth_required=auth_required),
        # Mutations over GET would be open to cross-site requests; queries are fine.
        allow_queries_via_get=True,
    )
