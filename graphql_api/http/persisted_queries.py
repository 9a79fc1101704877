"""Automatic persisted queries: Apollo's APQ protocol, over GET and POST.

A client sends ``extensions.persistedQuery = {"version": 1, "sha256Hash": …}``
without the query text. If this process knows the hash, the query stored under
it runs; if not, the answer is a ``PERSISTED_QUERY_NOT_FOUND`` error (HTTP 200)
and the client sends the hash again with the query, which registers it. A hash
that is not the SHA-256 of the query sent with it is refused (HTTP 400), so no
one can plant a query under another query's hash. Each API process keeps its
own bounded store; a client meeting a process that forgot a hash just
registers it again (docs/operations.md, "Response cache").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from cross_web import HTTPException
from starlette.responses import Response
from strawberry.http import GraphQLRequestData

from graphql_api.http.metrics import Metrics
from graphql_api.http.responses import error_response
from graphql_api.http.sized_lru import SizedLru

NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class PersistedQueryNotFound(Exception):
    """The request named a hash only, and this process does not know it."""

    def response(self) -> Response:
        return error_response(
            200, NOT_FOUND_MESSAGE, NOT_FOUND_CODE, headers={"Cache-Control": "no-store"}
        )


class PersistedQueries:
    """The queries this process has been sent with their hash, by hash."""

    def __init__(
        self,
        metrics: Metrics | None = None,
        *,
        max_entries: int = 4096,
        max_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self._metrics = metrics
        self._known: SizedLru[str, str] = SizedLru(max_entries, max_bytes, len)

    def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        """``data`` with the query its hash stands for; raises :class:`PersistedQueryNotFound`
        for an unknown hash and a 400 for a malformed extension or a hash that does not
        match the query."""
        extension = (data.extensions or {}).get("persistedQuery")
        if extension is None:
            return data
        digest = _hash_of(extension)
        if data.query is None:
            query = self._known.get(digest)
            if query is None:
                self._count("miss")
                raise PersistedQueryNotFound
            self._count("hit")
            return replace(data, query=query)
        if hashlib.sha256(data.query.encode()).hexdigest() != digest:
            self._count("mismatch")
            raise HTTPException(400, "persistedQuery.sha256Hash is not the SHA-256 of the query")
        self._known.put(digest, data.query)
        self._count("registered")
        return data

    def _count(self, result: str) -> None:
        if self._metrics is not None:
            self._metrics.persisted_queries.labels(result).inc()


def _hash_of(extension: object) -> str:
    if not isinstance(extension, dict):
        raise HTTPException(400, "extensions.persistedQuery must be an object")
    version = extension.get("version")
    if isinstance(version, bool) or version != 1:
        raise HTTPException(400, "extensions.persistedQuery.version must be 1")
    digest = extension.get("sha256Hash")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise HTTPException(
            400, "extensions.persistedQuery.sha256Hash must be a SHA-256 in hexadecimal"
        )
    return digest.lower()
