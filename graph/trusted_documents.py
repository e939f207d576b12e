"""Trusted documents: the operations a frontend ships, and nothing else.

A manifest maps ids to documents. Two formats are read, as their tools write them:

- Apollo's `generate-persisted-query-manifest`:
  `{"format": "apollo-persisted-query-manifest", "version": 1,
    "operations": [{"id": "<sha256>", "name": ..., "type": ..., "body": "<document>"}]}`
- GraphQL Codegen's client preset (`persistedDocuments: true`), persisted-documents.json:
  `{"<hash>": "<document>", ...}`

The server reads the manifest named by TRUSTED_DOCUMENTS at startup, and also finds
documents loaded into the shared table by `python main.py load-trusted-documents`
(a new frontend release, without restarting the servers). Every document is checked
against the schema and the query limits before it is trusted.
"""

import json
from collections.abc import Mapping
from pathlib import Path

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)

from db.engine import Database
from db.stored_documents import (
    TrustedDocumentConflict,
    find_trusted_document,
    store_trusted_documents,
)
from db.types import utc_now
from graph.limits import QueryLimits, limit_rules

APOLLO_FORMAT = "apollo-persisted-query-manifest"
MAX_ID_LENGTH = 256  # the table's column
_INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})
# The draft's persisted-documents appendix prefixes a SHA-256 id with its method;
# Apollo's and Codegen's manifests do not. Both spellings name one document.
_SHA256_PREFIX = "sha256:"


def normalized_id(document_id: str) -> str:
    return document_id.removeprefix(_SHA256_PREFIX)


class ManifestError(ValueError):
    """The manifest cannot be used; the message says why and where."""


def read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ManifestError(f"{path}: cannot read a JSON manifest: {error}") from error
    documents = {normalized_id(key): value for key, value in _documents_of(data).items()}
    for document_id in documents:
        if not document_id or len(document_id) > MAX_ID_LENGTH:
            raise ManifestError(f"{path}: an id must be 1 to {MAX_ID_LENGTH} characters")
    return documents


def _documents_of(data: object) -> dict[str, str]:
    if isinstance(data, dict) and data.get("format") == APOLLO_FORMAT:
        if data.get("version") != 1:
            raise ManifestError(f"unsupported {APOLLO_FORMAT} version {data.get('version')!r}")
        operations = data.get("operations")
        if not isinstance(operations, list) or not all(map(_is_operation, operations)):
            raise ManifestError("`operations` must be a list of {id, body} objects")
        return {op["id"]: op["body"] for op in operations}
    if isinstance(data, dict) and all(isinstance(value, str) for value in data.values()):
        return {str(key): value for key, value in data.items()}
    raise ManifestError(
        "not a manifest: expected Apollo's persisted query manifest or an object of"
        " id -> document (GraphQL Codegen's persisted-documents.json)"
    )


def _is_operation(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and isinstance(entry.get("body"), str)
    )


def problems(documents: Mapping[str, str], schema: GraphQLSchema, limits: QueryLimits) -> list[str]:
    """Why each document that would be refused at request time is refused."""
    rules = [*specified_rules, *limit_rules(limits)]
    found: list[str] = []
    for document_id, text in documents.items():
        try:
            errors = validate(schema, parse(text, max_tokens=limits.max_tokens), rules)
        except GraphQLError as error:
            errors = [error]
        found += [f"{document_id}: {error.message}" for error in errors]
    return found


def is_introspection_only(query: str, max_tokens: int) -> bool:
    """Whether every operation in `query` selects only __schema, __type and
    __typename: what GraphiQL and schema tools send, allowed when introspection is."""
    try:
        document = parse(query, max_tokens=max_tokens, no_location=True)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        isinstance(selection, FieldNode) and selection.name.value in _INTROSPECTION_FIELDS
        for operation in operations
        for selection in operation.selection_set.selections
    )


async def load_trusted_documents(
    path: Path, schema: GraphQLSchema, limits: QueryLimits, database: Database | None
) -> str:
    """Checks the manifest at `path` and, given a database, adds its documents to the
    shared table. What was done, in a sentence; ManifestError when it cannot be."""
    manifest = read_manifest(path)
    if found := problems(manifest, schema, limits):
        raise ManifestError(f"{path}: " + "; ".join(found[:10]))
    if database is None:
        return f"{path}: {len(manifest)} documents, all valid"
    try:
        added = await store_trusted_documents(database, manifest, utc_now())
    except TrustedDocumentConflict as error:
        raise ManifestError(f"{path}: {error}") from None
    return f"{path}: {len(manifest)} documents, {added} new, stored"


class TrustedDocuments:
    """id -> document: the manifest's, then the shared table's (kept once found:
    an id never names another document, the loader refuses that)."""

    def __init__(self, manifest: Mapping[str, str], database: Database) -> None:
        self._documents = dict(manifest)
        self.database = database

    async def get(self, document_id: str) -> str | None:
        document_id = normalized_id(document_id)
        document = self._documents.get(document_id)
        if document is None and 0 < len(document_id) <= MAX_ID_LENGTH:
            document = await find_trusted_document(self.database, document_id)
            if document is not None:
                self._documents[document_id] = document
        return document
