"""/graphql in the OpenAPI document, so that /docs can run a query.

Strawberry declares GET and POST /graphql without parameters or a body: /docs had
nothing to fill in and "Try it out" sent an empty POST (415). This adds the JSON
body of the GraphQL-over-HTTP spec (query, variables, operationName) with examples,
and the same three as query parameters on GET. The OAuth2 password scheme is
already on both (graph/context.py), so "Authorize" then "Try it out" sends the token.
"""

from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute

EVENTS_QUERY = """\
query Events($first: Int) {
  events(first: $first) {
    totalCount
    edges { node { id title startsAt tags creator { email } } }
  }
}"""
SIGN_UP_MUTATION = """\
mutation SignUp($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { accessToken expiresIn refreshToken }
}"""

REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["query"],
    "properties": {
        "query": {"type": "string", "description": "The GraphQL document."},
        "variables": {
            "type": ["object", "null"],
            "description": "Values of the document's $variables.",
            "additionalProperties": True,
        },
        "operationName": {
            "type": ["string", "null"],
            "description": "Which operation to run when the document has several.",
        },
    },
}
RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "data": {"type": ["object", "null"], "additionalProperties": True},
        "errors": {
            "type": "array",
            "description": "Each with a message and extensions.code (and a hint where one helps).",
            "items": {"type": "object", "additionalProperties": True},
        },
    },
}
EXAMPLES: dict[str, Any] = {
    "events": {
        "summary": "The newest events (Authorize first)",
        "value": {"query": EVENTS_QUERY, "variables": {"first": 10}, "operationName": "Events"},
    },
    "signUp": {
        "summary": "Create an account; its accessToken goes into Authorize as is",
        "value": {
            "query": SIGN_UP_MUTATION,
            "variables": {"email": "you@example.com", "password": "correct horse battery"},
            "operationName": "SignUp",
        },
    },
}
RESULT = {"application/json": {"schema": RESPONSE_SCHEMA}}
POST_DESCRIPTION = """\
Runs a GraphQL query or mutation. Fields that need a signed-in user read the header
`Authorization: Bearer <accessToken>`: use **Authorize** (the password flow at
/auth/token) or take accessToken from the signUp example. GraphiQL, at GET /graphql
in a browser, is the better place to explore the schema."""

POST_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": REQUEST_SCHEMA, "examples": EXAMPLES}},
    },
    "responses": {
        "200": {"description": "The result: data, errors, or both.", "content": RESULT},
        "400": {"description": "Not a GraphQL request (bad JSON, no query).", "content": RESULT},
        "413": {"description": "The body is over MAX_BODY_BYTES.", "content": RESULT},
        "415": {"description": "The body is not application/json.", "content": RESULT},
    },
}
GET_OPENAPI: dict[str, Any] = {
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "A query (not a mutation). Without it a browser gets GraphiQL.",
            "example": "{ events(first: 5) { totalCount } }",
        },
        {
            "name": "variables",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "The variables as a JSON object.",
        },
        {"name": "operationName", "in": "query", "required": False, "schema": {"type": "string"}},
    ],
    "responses": {"200": {"description": "The result, or GraphiQL for a browser."}},
}


def describe_graphql_routes(router: APIRouter, path: str = "/graphql") -> None:
    """Sets the OpenAPI description of the router's GET and POST `path` routes
    (APIRoute.openapi_extra is merged into the generated operation)."""
    for route in router.routes:
        if not isinstance(route, APIRoute) or route.path != path:
            continue
        methods = route.methods or set()
        if "POST" in methods:
            route.summary = "Run a GraphQL query or mutation"
            route.description = POST_DESCRIPTION
            route.openapi_extra = POST_OPENAPI
        elif "GET" in methods:
            route.summary = "Run a GraphQL query from the URL, or open GraphiQL"
            route.openapi_extra = GET_OPENAPI
