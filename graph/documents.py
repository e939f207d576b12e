"""Which document a request runs: the query it sends, one it names by hash
(automatic persisted queries), or, in trusted-documents mode, only one it names from
the manifest. Decided before anything is parsed; refusals raise RequestRefused.

APQ follows Apollo's protocol, as Apollo Client's persisted-queries link expects it:
- hash only, known: the stored document runs;
- hash only, unknown: "PersistedQueryNotFound" (PERSISTED_QUERY_NOT_FOUND), and the
  client sends the hash again with the query;
- hash and query: the hash must be the query's SHA-256 (else
  PERSISTED_QUERY_HASH_MISMATCH); the query runs, and is stored under the hash once it
  has parsed and validated within every limit (`Resolved.register`).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLSchema

from db.engine import Database
from graph.http_errors import RequestRefused
from graph.http_request import PlannerRequestData
from graph.limits import QueryLimits
from graph.persisted_queries import PersistedQuerySettings, PersistedQueryStore, sha256_hex
from graph.trusted_documents import (
    ManifestError,
    TrustedDocuments,
    is_introspection_only,
    problems,
    read_manifest,
)

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def not_found() -> RequestRefused:
    return RequestRefused(404, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")


def not_supported() -> RequestRefused:
    return _bad_request("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")


def not_allowed() -> RequestRefused:
    return _bad_request(
        "Only the operations of this API's own clients run here (trusted documents)",
        "PERSISTED_QUERY_NOT_ALLOWED",
    )


def _bad_request(message: str, code: str = "BAD_REQUEST") -> RequestRefused:
    return RequestRefused(400, message, code, legacy_status=400)


@dataclass(frozen=True)
class Resolved:
    query: str | None
    # The hash to store `query` under once it has parsed and validated.
    register: str | None = None


class Documents:
    def __init__(
        self,
        *,
        persisted: PersistedQueryStore | None,
        trusted: TrustedDocuments | None = None,
        introspection: bool = True,
        max_tokens: int = 2000,
    ) -> None:
        """`persisted` None: APQ is off. `trusted` set: only its documents run (and
        introspection-only ones, when `introspection` is on)."""
        self.persisted = persisted
        self.trusted = trusted
        self.introspection = introspection
        self.max_tokens = max_tokens

    async def resolve(self, request: PlannerRequestData) -> Resolved:
        hash_ = _persisted_query_hash(request)
        if self.trusted is not None:
            return await self._trusted(self.trusted, request, hash_)
        if request.document_id is not None:
            raise not_supported()
        if hash_ is None:
            return Resolved(request.query)
        if self.persisted is None:
            raise not_supported()
        if not _SHA256_HEX.fullmatch(hash_):
            raise _bad_request("persistedQuery.sha256Hash must be 64 lower-case hex digits")
        if request.query is None:
            document = await self.persisted.get(hash_)
            if document is None:
                raise not_found()
            return Resolved(document)
        if sha256_hex(request.query) != hash_:
            raise _bad_request("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
        return Resolved(request.query, register=hash_)

    async def register(self, resolved: Resolved) -> None:
        if resolved.register is not None and resolved.query is not None and self.persisted:
            await self.persisted.put(resolved.register, resolved.query)

    async def _trusted(
        self, trusted: TrustedDocuments, request: PlannerRequestData, hash_: str | None
    ) -> Resolved:
        document_id = request.document_id or hash_
        if document_id is None:
            if (
                request.query is not None
                and self.introspection
                and is_introspection_only(request.query, self.max_tokens)
            ):
                return Resolved(request.query)
            raise not_allowed()
        document = await trusted.get(document_id)
        if document is None or (request.query is not None and request.query != document):
            raise not_allowed()
        return Resolved(document)


def _persisted_query_hash(request: PlannerRequestData) -> str | None:
    """extensions.persistedQuery's hash; None when the request has none."""
    persisted = (request.extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise _bad_request("extensions.persistedQuery must be an object")
    if persisted.get("version") != 1:
        raise _bad_request("Unsupported persisted query version")
    hash_ = persisted.get("sha256Hash")
    if not isinstance(hash_, str):
        raise _bad_request("persistedQuery.sha256Hash must be a string")
    return hash_


def build_documents(
    database: Database,
    persisted: PersistedQuerySettings,
    trusted_manifest: Path | None,
    schema: GraphQLSchema,
    limits: QueryLimits,
) -> Documents:
    """The app's Documents. A manifest that cannot be read, or whose documents the
    schema or the limits refuse, stops the start (ManifestError says which)."""
    trusted = None
    if trusted_manifest is not None:
        manifest = read_manifest(trusted_manifest)
        if found := problems(manifest, schema, limits):
            raise ManifestError(f"{trusted_manifest}: " + "; ".join(found[:10]))
        trusted = TrustedDocuments(manifest, database)
    return Documents(
        persisted=PersistedQueryStore(database, persisted) if persisted.enabled else None,
        trusted=trusted,
        introspection=limits.introspection,
        max_tokens=limits.max_tokens,
    )
