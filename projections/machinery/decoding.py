"""Reading a batch's notifications as events: topics followed through renames, each
notification decoded once for every projection that reads it, and the failure a
handler or the decoding raises (:mod:`projections.machinery.engine`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic, resolve_topic


class ProjectionFailed(Exception):
    """A handler (or decoding) failed; the batch was rolled back."""

    def __init__(self, name: str, version: int, notification_id: int, topic: str) -> None:
        super().__init__(f"projection {name} v{version} failed at notification {notification_id}")
        self.name = name
        self.version = version
        self.notification_id = notification_id
        self.topic = topic

    def describe(self) -> str:
        cause = self.__cause__
        detail = f": {type(cause).__name__}: {cause}" if cause else ""
        return f"{self} ({self.topic}){detail}"


@lru_cache(maxsize=4096)
def canonical_topic(topic: str) -> str:
    """The current topic of a stored topic, following registered renames."""
    try:
        return get_topic(resolve_topic(topic))
    except Exception:
        return topic


class Decoder:
    """Decodes each notification of a batch at most once, shared by projections."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        self._events: dict[int, DomainEventProtocol[Any]] = {}

    def event(self, notification: Notification) -> DomainEventProtocol[Any]:
        event = self._events.get(notification.id)
        if event is None:
            event = self._mapper.to_domain_event(notification)
            self._events[notification.id] = event
        return event
