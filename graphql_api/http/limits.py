"""Abuse limits: what the API refuses before and while it executes GraphQL.

At the HTTP layer (cheap, before any parsing) it refuses oversized bodies and
query strings, POSTs that are not JSON, and batched (JSON array) requests,
which would multiply every other limit. At the GraphQL layer it caps tokens
(before parsing finishes), depth and aliases (during validation), and caches
parse and validation results so that repeated queries cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from domain.errors import ErrorCode
from graphql_api.http.errors import ErrorCodes, MaskInternalErrors
from graphql_api.http.metrics import OperationObserver
from graphql_api.http.responses import error_response

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps per request; the defaults fit every query the ledger's clients need."""

    max_body_bytes: int = MIB
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    cache_size: int = 512


def schema_extensions(limits: Limits | None = None) -> list[Callable[[], SchemaExtension]]:
    """The extensions every ledger schema is built with: ``Schema(..., extensions=this)``.

    Factories, so each request gets fresh extension instances. The depth and
    alias rules are built once and shared: ``ValidationCache`` keys on the rule
    classes, and new classes per request would never hit the cache.
    """
    limits = limits or Limits()
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: ParserCache(maxsize=limits.cache_size),
        lambda: ValidationCache(maxsize=limits.cache_size),
        MaskInternalErrors,
        ErrorCodes,
        OperationObserver,
    ]


class RequestLimitsMiddleware:
    """Refuses oversized, non-JSON and batched requests to ``path`` with GraphQL-shaped errors."""

    def __init__(self, app: ASGIApp, *, limits: Limits, path: str = "/graphql") -> None:
        self.app = app
        self.max_bytes = limits.max_body_bytes
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_bytes:
            await _refuse(414, "the query string is too long", scope, receive, send)
            return
        if scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != "application/json":
            await _refuse(415, "Content-Type must be application/json", scope, receive, send)
            return
        try:
            body = await self._read_body(headers, receive)
        except _ClientDisconnected:
            return
        if body is None:
            await _refuse(
                413, f"the request body exceeds {self.max_bytes} bytes", scope, receive, send
            )
            return
        if body.lstrip()[:1] == b"[":
            await _refuse(
                400,
                "batched requests are not supported; send one operation per request",
                scope,
                receive,
                send,
            )
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, headers: Headers, receive: Receive) -> bytes | None:
        """The whole body, or ``None`` as soon as it is known to be too large."""
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientDisconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class _ClientDisconnected(Exception):
    """The client went away before sending the whole body; there is no one to answer."""


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _refuse(status: int, message: str, scope: Scope, receive: Receive, send: Send) -> None:
    await error_response(status, message, ErrorCode.VALIDATION)(scope, receive, send)
