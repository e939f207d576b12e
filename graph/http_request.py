"""A GraphQL-over-HTTP request's parameters, checked for shape before anything runs.

From a JSON body (POST) or the URL's query (GET). Besides the draft's four
parameters (query, operationName, variables, extensions) it reads `documentId`, the
name a trusted-documents client (GraphQL Codegen's client preset, the draft's
persisted-documents appendix) sends instead of a query. A parameter of the wrong
type is a 400 (HTTPException, answered by the router); null, and on GET the empty
string, mean "not given".
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cross_web import HTTPException
from strawberry.http import GraphQLRequestData


@dataclass
class PlannerRequestData(GraphQLRequestData):
    document_id: str | None = None
    # Set by the router: the client accepts a subscription streamed as multipart
    # (graph/live_http.py), and the APQ hash to store the document under once it
    # has parsed and validated (graph/documents.py).
    stream_accepted: bool = False
    register: str | None = None


_STRINGS = ("query", "operationName", "documentId")
_OBJECTS = ("variables", "extensions")


def from_json_body(data: object) -> PlannerRequestData:
    if isinstance(data, list):
        raise HTTPException(400, "Batching is not enabled")
    if not isinstance(data, dict):
        raise HTTPException(400, "The request body must be a JSON object")
    return _checked(data)


def from_query_params(
    params: Mapping[str, str], decode_json: Callable[[str], object]
) -> PlannerRequestData:
    data: dict[str, Any] = {name: value for name, value in params.items() if value != ""}
    for name in _OBJECTS:
        if name in data:
            try:
                data[name] = decode_json(data[name])
            except ValueError as error:
                raise HTTPException(400, f"`{name}` is not valid JSON") from error
    return _checked(data)


def _checked(data: dict[str, Any]) -> PlannerRequestData:
    for name in _STRINGS:
        if not isinstance(data.get(name), str | None):
            raise HTTPException(400, f"The request's `{name}` must be a string")
    for name in _OBJECTS:
        if not isinstance(data.get(name), dict | None):
            raise HTTPException(400, f"The request's `{name}` must be an object")
    return PlannerRequestData(
        query=data.get("query"),
        variables=data.get("variables"),
        operation_name=data.get("operationName"),
        extensions=data.get("extensions"),
        document_id=data.get("documentId"),
    )
