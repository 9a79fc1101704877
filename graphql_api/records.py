"""Output types filled from the record they show.

Most output types repeat the field names of the domain value or read-model row
behind them. :func:`from_record` reads each field the type declares from the
record's attribute of the same name (tuples become lists), so a field added to
both needs no line here; what differs — a renamed, converted or nested field —
is given by keyword.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def from_record(cls: type[T], record: object, **given: Any) -> T:
    """An instance of the strawberry type ``cls`` with the fields of ``record``.

    Fields computed by a resolver are not copied; a field with a default that
    ``record`` does not have keeps its default.
    """
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not field.init:
            continue
        if field.name in given:
            values[field.name] = given[field.name]
        elif hasattr(record, field.name) or not _has_default(field):
            value = getattr(record, field.name)
            values[field.name] = list(value) if isinstance(value, tuple) else value
    return cls(**values)


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )
