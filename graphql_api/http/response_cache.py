"""The response cache: a query's exact answer, served again while nothing it read has moved.

A query's response is a function of its normalised document and operation
name, its variables, the viewer's scope, the day (briefs open and close by
date) and the read models it read, at the versions and positions it read them
(:mod:`projections.store.read_tracking`). The first five make the key; the
last is stored with the response. A lookup is a hit only while every one of
those read models still stands exactly there in this process's
:class:`~projections.machinery.progress.ProgressHub` — which the embedded
runner and, on PostgreSQL, the progress listener keep current — so a hit is
the answer execution would give, also when another process wrote. A hit
skips parsing, validation and execution and serves the stored bytes.

Nothing that read the event store, had errors, or is not a query is kept;
anonymous viewers share entries, every authenticated viewer has their own
(docs/operations.md, "Response cache").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, print_ast
from strawberry.http import GraphQLRequestData

from domain.infrastructure.lru import Lru
from graphql_api.http.auth import Viewer
from graphql_api.http.metrics import Metrics
from graphql_api.http.sized_lru import SizedLru
from projections.store.read_tracking import Stand

MIB = 1024 * 1024


class Positions(Protocol):
    """Where this process knows the read models stand (a ``ProgressHub``)."""

    def stands_at(self, stands: Iterable[Stand]) -> bool: ...


@dataclass(frozen=True)
class Stored:
    """A response kept: its bytes, what it read, and the ETag naming both."""

    body: bytes
    stands: tuple[Stand, ...]
    etag: str


@dataclass(frozen=True)
class _Operation:
    kind: OperationType | None
    document: str


_UNKNOWN = _Operation(None, "")


class ResponseCache:
    """Responses by key, bounded by entries and bytes (least recently used go first)."""

    def __init__(
        self,
        positions: Positions,
        *,
        today: Callable[[], date],
        metrics: Metrics | None = None,
        max_entries: int = 10_000,
        max_bytes: int = 64 * MIB,
        max_tokens: int = 5000,
    ) -> None:
        self._positions = positions
        self._today = today
        self._metrics = metrics
        self._max_tokens = max_tokens
        self._entries: SizedLru[str, Stored] = SizedLru(
            max_entries, max_bytes, lambda stored: len(stored.body)
        )
        self._operations: Lru[tuple[str, str | None], _Operation] = Lru(2048)

    def key(self, data: GraphQLRequestData, viewer: Viewer) -> str | None:
        """The request's key, or None when it is not a query this cache may answer
        (a mutation, a subscription, a document that does not parse)."""
        if data.query is None:
            return None
        operation = self._operation(data.query, data.operation_name)
        if operation.kind is not OperationType.QUERY:
            return None
        actor = viewer.actor
        scope = "anonymous" if actor is None else f"{actor.role.value}:{actor.id}"
        material = json.dumps(
            [
                operation.document,
                data.operation_name,
                data.variables or {},
                scope,
                self._today().isoformat(),
            ],
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(material.encode()).hexdigest()

    def lookup(self, key: str) -> Stored | None:
        """The stored response, if what it read still stands where it was read."""
        stored = self._entries.get(key)
        if stored is None or not self._positions.stands_at(stored.stands):
            return None
        return stored

    def store(self, key: str, body: bytes, stands: tuple[Stand, ...]) -> Stored:
        stored = Stored(body=body, stands=stands, etag=etag_of(key, stands))
        self._entries.put(key, stored)
        return stored

    def count(self, result: str) -> None:
        """One query answered: ``hit``, ``miss`` or ``uncacheable``."""
        if self._metrics is not None:
            self._metrics.response_cache_lookups.labels(result).inc()

    def _operation(self, query: str, operation_name: str | None) -> _Operation:
        # By digest: the texts themselves would let clients fill memory with big documents.
        memo = (hashlib.sha256(query.encode()).hexdigest(), operation_name)
        known = self._operations.get(memo)
        if known is None:
            known = self._analyse(query, operation_name)
            self._operations.put(memo, known)
        return known

    def _analyse(self, query: str, operation_name: str | None) -> _Operation:
        try:
            document = parse(query, no_location=True, max_tokens=self._max_tokens)
        except (GraphQLError, RecursionError):
            return _UNKNOWN
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [
            o
            for o in operations
            if operation_name is None or (o.name is not None and o.name.value == operation_name)
        ]
        if len(chosen) != 1:
            return _UNKNOWN
        normalised = print_ast(document)
        return _Operation(chosen[0].operation, hashlib.sha256(normalised.encode()).hexdigest())


def etag_of(key: str, stands: Iterable[Stand]) -> str:
    """A strong validator: the same key read at the same positions gives the same bytes."""
    material = json.dumps([key, list(stands)], separators=(",", ":"))
    return f'"{hashlib.sha256(material.encode()).hexdigest()[:40]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110 asks)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
