"""Input limits and the small checks every command shares.

Limits are deliberately generous for real use and tight enough that no single
field can bloat the store: names 200 characters, handles 64, messages and
comments 5,000, captions 2,200 (Instagram's own cap), URLs 2,048, lists 50 items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlparse

from domain.errors import ValidationError
from domain.money import Money

NAME_MAX = 200
HANDLE_MAX = 64
TEXT_MAX = 5_000
CAPTION_MAX = 2_200
URL_MAX = 2_048
LIST_MAX = 50
TAG_MAX = 60
COUNT_MAX = 10**12
CLOCK_SKEW_SECONDS = 300
"""How far a reported moment may run ahead of the ledger's clock (the caller's clock drifts)."""

E = TypeVar("E", bound=StrEnum)

_HANDLE = re.compile(r"^@?[A-Za-z0-9._-]{1,64}$")


def text(value: object, field: str, *, max_len: int = NAME_MAX, required: bool = True) -> str:
    """A trimmed string within its limit; empty is refused when required."""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string", field=field)
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError(f"{field} must not be empty", field=field)
    if len(cleaned) > max_len:
        raise ValidationError(f"{field} is longer than {max_len} characters", field=field)
    if "\x00" in cleaned:
        raise ValidationError(f"{field} contains a NUL character", field=field)
    return cleaned


def optional_text(value: object, field: str, *, max_len: int = TEXT_MAX) -> str | None:
    if value is None:
        return None
    cleaned = text(value, field, max_len=max_len, required=False)
    return cleaned or None


def handle(value: object, field: str = "handle") -> str:
    """A social handle, normalised: no leading ``@``, lower case."""
    raw = text(value, field, max_len=HANDLE_MAX + 1)
    if not _HANDLE.match(raw):
        raise ValidationError(
            f"{field} may hold only letters, digits, '.', '_' and '-' (1–{HANDLE_MAX})",
            field=field,
        )
    return raw.lstrip("@").lower()


def tags(values: object, field: str, *, max_items: int = LIST_MAX) -> tuple[str, ...]:
    """A list of short labels (niches, causes, languages): trimmed, lower case, unique."""
    chosen = items(values, field)
    if len(chosen) > max_items:
        raise ValidationError(f"{field} has more than {max_items} items", field=field)
    seen: dict[str, None] = {}
    for item in chosen:
        seen.setdefault(text(item, field, max_len=TAG_MAX).lower(), None)
    return tuple(seen)


def items(values: object, field: str) -> list[object]:
    """A list from user input; a string is one value, not a list of its characters."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ValidationError(f"{field} must be a list", field=field)
    return list(values)


def mapping(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{field} must be an object", field=field)
    return value


def money(value: object, field: str) -> Money:
    """Money given as a value object, re-checked like any other money input."""
    if not isinstance(value, Money):
        raise ValidationError(f"{field} must be an amount with a currency", field=field)
    return Money.of(value.amount, value.currency, field)


def texts(
    values: object,
    field: str,
    *,
    max_items: int = LIST_MAX,
    max_len: int = TEXT_MAX,
    min_items: int = 0,
) -> tuple[str, ...]:
    chosen = tuple(text(item, field, max_len=max_len) for item in items(values, field))
    if len(chosen) > max_items:
        raise ValidationError(f"{field} has more than {max_items} items", field=field)
    if len(chosen) < min_items:
        raise ValidationError(f"{field} needs at least {min_items} item(s)", field=field)
    return chosen


def url(value: object, field: str = "url") -> str:
    raw = text(value, field, max_len=URL_MAX)
    parsed = urlparse(raw)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValidationError(f"{field} must be an http(s) URL", field=field)
    return raw


def count(value: object, field: str, *, allow_none: bool = False) -> int | None:
    """A non-negative integer count (followers, likes, …)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be an integer", field=field)
    if value < 0:
        raise ValidationError(f"{field} must not be negative", field=field)
    if value > COUNT_MAX:
        raise ValidationError(f"{field} is implausibly large", field=field)
    return value


def positive_int(value: object, field: str, *, maximum: int = 10_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be an integer", field=field)
    if not 1 <= value <= maximum:
        raise ValidationError(f"{field} must be between 1 and {maximum}", field=field)
    return value


def days(value: object, field: str, *, maximum: int = 3_650) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be an integer", field=field)
    if not 0 <= value <= maximum:
        raise ValidationError(f"{field} must be between 0 and {maximum} days", field=field)
    return value


def a_date(value: object, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{field} must be a date", field=field)
    return value


def moment(value: object, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"{field} must be a date-time", field=field)
    if value.tzinfo is None:
        raise ValidationError(f"{field} must carry a timezone", field=field)
    return value.astimezone(UTC)


def not_future(moment: datetime, now: datetime, field: str) -> datetime:
    """A moment a caller reports (published, observed, paid), refused when ahead of now."""
    if (moment - now).total_seconds() > CLOCK_SKEW_SECONDS:
        raise ValidationError(f"{field} is in the future", field=field)
    return moment


def choice(kind: type[E], value: object, field: str) -> E:
    """A member of a closed vocabulary, named in the error when the value is not one."""
    try:
        return kind(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        options = ", ".join(member.value for member in kind)
        raise ValidationError(f"{field} must be one of {options}", field=field) from None
