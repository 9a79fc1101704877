"""How domain values are stored in read-model columns, the same way on every backend.

Read-model columns are limited to text, 64-bit integers, doubles and NULL (see
:mod:`projections.store.readstore`), so richer values need one agreed encoding:

- moments are fixed-width UTC text (``2026-03-02T09:00:00.000000Z``), so that
  text order is time order and keyset pagination can compare them directly;
- money amounts are exact decimal text for display, plus integer hundredths
  where SQL must compare or sort them (the domain allows at most two decimal
  places, so hundredths are exact);
- lists are compact JSON, so rows rebuilt from the same events are identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Any, overload

from domain.money import Money

_MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_HUNDREDTHS = Decimal("0.01")


@overload
def moment_text(moment: datetime) -> str: ...
@overload
def moment_text(moment: None) -> None: ...
def moment_text(moment: datetime | None) -> str | None:
    """Fixed-width UTC text whose lexical order is chronological order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("read models store timezone-aware moments only")
    return _utc_text(moment)


@lru_cache(maxsize=16_384)
def _utc_text(moment: datetime) -> str:
    """Formatting is slow next to a lookup, and a rebuild formats each event's moment
    once per projection that stores it: one batch of every projection hits here."""
    return moment.astimezone(UTC).strftime(_MOMENT_FORMAT)


@overload
def parse_moment(text: str) -> datetime: ...
@overload
def parse_moment(text: None) -> None: ...
def parse_moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def amount_text(amount: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros: ``500000``, ``12.5``."""
    return format(amount.normalize(), "f")


def hundredths(amount: Decimal) -> int:
    """The amount in hundredths, rounded half-even where it has more places."""
    return int((amount / _HUNDREDTHS).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def from_hundredths(value: int | Decimal) -> Decimal:
    return (Decimal(value) * _HUNDREDTHS).normalize()


def money(amount: str | None, currency: str | None) -> Money | None:
    """Money from an amount and a currency column; None when either is NULL."""
    if amount is None or currency is None:
        return None
    return Money(Decimal(amount), currency)


def json_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values), separators=(",", ":"))


def parse_json_list(text: str | None) -> tuple[Any, ...]:
    return tuple(json.loads(text)) if text else ()
