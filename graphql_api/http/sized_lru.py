"""A least-recently-used map bounded by entries and by the bytes its values weigh,
for caches whose values are client-sized (response bodies, query texts)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedLru(Generic[K, V]):
    """At most ``max_entries`` values weighing at most ``max_bytes`` together; a value
    heavier than the whole budget is not kept. Safe to share between threads."""

    def __init__(self, max_entries: int, max_bytes: int, weigh: Callable[[V], int]) -> None:
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._weigh = weigh
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            kept = self._entries.get(key)
            if kept is None:
                return None
            self._entries.move_to_end(key)
            return kept[0]

    def put(self, key: K, value: V) -> None:
        weight = self._weigh(value)
        with self._lock:
            self._drop(key)
            if weight > self._max_bytes:
                return
            self._entries[key] = (value, weight)
            self._bytes += weight
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: K) -> None:
        kept = self._entries.pop(key, None)
        if kept is not None:
            self._bytes -= kept[1]
