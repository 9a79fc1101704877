"""One query request's pass through the response cache, and the HTTP caching it allows.

A cacheable GET carries an ``ETag`` (from the cache key and the positions the
answer was read at) and ``Cache-Control: public, no-cache`` when anonymous —
a CDN may keep it and must revalidate, which costs a 304 while nothing moved —
or ``private, no-cache`` when authenticated; an ``If-None-Match`` naming the
current ETag is answered 304 without executing. POSTs, mutations, errors and
answers that read the event store are ``no-store`` (docs/operations.md,
"Response cache").
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from graphql_api.http.auth import Viewer
from graphql_api.http.response_cache import ResponseCache, Stored, matches
from projections.store.read_tracking import ReadRecord


@dataclass(frozen=True)
class Exchange:
    cache: ResponseCache
    key: str
    conditional: bool
    """A GET: it may carry validators and be revalidated."""
    if_none_match: str | None
    anonymous: bool

    @classmethod
    def begin(
        cls, cache: ResponseCache, request: Request, data: GraphQLRequestData, viewer: Viewer
    ) -> Exchange | None:
        """The exchange of a query; None for anything else, which the cache leaves alone."""
        key = cache.key(data, viewer)
        if key is None:
            return None
        return cls(
            cache=cache,
            key=key,
            conditional=request.method == "GET",
            if_none_match=request.headers.get("if-none-match"),
            anonymous=viewer.actor is None,
        )

    def served(self) -> Response | None:
        """The stored answer (or a 304 for it), if it is still the answer."""
        stored = self.cache.lookup(self.key)
        if stored is None:
            return None
        self.cache.count("hit")
        return self._validated(Response(stored.body, media_type="application/json"), stored)

    def finish(self, response: Response, result: ExecutionResult, record: ReadRecord) -> Response:
        """Keep an executed answer if it may be kept, and say so in its headers."""
        if result.errors or record.uncacheable is not None or response.status_code != 200:
            self.cache.count("uncacheable")
            return response
        stored = self.cache.store(self.key, bytes(response.body), record.stands)
        self.cache.count("miss")
        return self._validated(response, stored)

    def _validated(self, response: Response, stored: Stored) -> Response:
        if not self.conditional:
            return response
        headers = {
            "ETag": stored.etag,
            "Cache-Control": "public, no-cache" if self.anonymous else "private, no-cache",
            "Vary": "Authorization",
        }
        if matches(self.if_none_match, stored.etag):
            return Response(status_code=304, headers=headers)
        response.headers.update(headers)
        return response
