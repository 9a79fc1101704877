"""How value objects are stored: as their own plain JSON shapes.

Each value object has ``to_json`` and ``from_json``; one transcoding per class
lets events and snapshots carry typed values while the stored bytes stay plain,
readable JSON that an export or an auditor can use without this code.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.money import Money
from domain.profile import RateCardLine
from domain.ratings import Ratings
from domain.terms import Compensation, Deliverable, Terms


class JsonValue(Protocol):
    def to_json(self) -> dict[str, Any]: ...


class ValueObjectAsJson(Transcoding):
    def __init__(self, kind: Any) -> None:
        self.type: Any = kind
        self.name = kind.__name__.lower()

    def encode(self, obj: JsonValue) -> dict[str, Any]:
        return obj.to_json()

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type.from_json(data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


VALUE_OBJECTS = (Money, Terms, Deliverable, Compensation, RateCardLine, Ratings)


def register_value_objects(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for kind in VALUE_OBJECTS:
        transcoder.register(ValueObjectAsJson(kind))
