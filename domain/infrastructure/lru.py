"""Small in-process caches: a thread-safe least-recently-used map, and one such
cache per owner object (a ledger, a read store) that lives as long as its owner."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
C = TypeVar("C")


class Lru(Generic[K, V]):
    """The ``size`` most recently used entries; safe to share between threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V, *, replaces: Callable[[V], bool] | None = None) -> None:
        """Keep ``value`` under ``key``; with ``replaces``, only where it says the value
        already kept should give way (checked under the same lock)."""
        with self._lock:
            kept = self._entries.get(key)
            if kept is None or replaces is None or replaces(kept):
                self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class PerOwner(Generic[C]):
    """One ``C`` per owner object, made by ``factory`` on first use and dropped with
    the owner."""

    def __init__(self, factory: Callable[[], C]) -> None:
        self._factory = factory
        self._made: WeakKeyDictionary[object, C] = WeakKeyDictionary()
        self._lock = Lock()

    def of(self, owner: object) -> C:
        with self._lock:
            made = self._made.get(owner)
            if made is None:
                made = self._made[owner] = self._factory()
            return made
