"""Creator profile values: rate-card lines, tier and creator-type derivation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain import validation as v
from domain.catalog import CompensationKind, ContentFormat, CreatorType, Origin, Platform, Tier
from domain.errors import ValidationError
from domain.money import Money

TIER_FLOORS: tuple[tuple[int, Tier], ...] = (
    (1_000_000, Tier.MEGA),
    (100_000, Tier.MACRO),
    (10_000, Tier.MICRO),
    (1_000, Tier.NANO),
    (0, Tier.EMERGING),
)

ACTIVE_ACCOUNT_FOLLOWERS = 1_000
"""An account counts towards PLATFORM_SPECIFIC / MULTI_PLATFORM from this following."""


def tier_for(followers: Iterable[int]) -> Tier:
    """Tier from the creator's largest platform following (no accounts → EMERGING)."""
    largest = max(followers, default=0)
    return next(tier for floor, tier in TIER_FLOORS if largest >= floor)


def creator_types(
    origin: Origin, causes: Iterable[str], followers: Iterable[int]
) -> tuple[CreatorType, ...]:
    """Declared origin, PURPOSE_DRIVEN when causes are declared, and the platform spread."""
    types = [CreatorType(origin.value)]
    if any(True for _ in causes):
        types.append(CreatorType.PURPOSE_DRIVEN)
    active = sum(1 for count in followers if count >= ACTIVE_ACCOUNT_FOLLOWERS)
    if active == 1:
        types.append(CreatorType.PLATFORM_SPECIFIC)
    elif active >= 2:
        types.append(CreatorType.MULTI_PLATFORM)
    return tuple(types)


@dataclass(frozen=True)
class RateCardLine:
    platform: Platform
    format: ContentFormat
    price: Money
    compensation: CompensationKind = CompensationKind.CASH

    @classmethod
    def create(cls, data: Mapping[str, Any], index: int) -> RateCardLine:
        field = f"lines[{index}]"
        data = v.mapping(data, field)
        price = data.get("price")
        if isinstance(price, Money):
            money = Money.positive(price.amount, price.currency, f"{field}.price")
        elif isinstance(price, Mapping):
            money = Money.positive(
                price.get("amount"), price.get("currency", "IDR"), f"{field}.price"
            )
        else:
            raise ValidationError(f"{field}.price must be an amount with a currency", field=field)
        return cls(
            platform=v.choice(Platform, data.get("platform"), f"{field}.platform"),
            format=v.choice(ContentFormat, data.get("format"), f"{field}.format"),
            price=money,
            compensation=v.choice(
                CompensationKind, data.get("compensation", "CASH"), f"{field}.compensation"
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform.value,
            "format": self.format.value,
            "price": self.price.to_json(),
            "compensation": self.compensation.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RateCardLine:
        return cls(
            platform=Platform(data["platform"]),
            format=ContentFormat(data["format"]),
            price=Money.from_json(data["price"]),
            compensation=CompensationKind(data["compensation"]),
        )


def rate_card_lines(lines: object) -> tuple[RateCardLine, ...]:
    """Validated lines, one per (platform, format)."""
    parsed = tuple(
        RateCardLine.create(v.mapping(line, f"lines[{i}]"), i)
        for i, line in enumerate(v.items(lines, "lines"))
    )
    if not parsed:
        raise ValidationError("a rate card needs at least one line", field="lines")
    if len(parsed) > v.LIST_MAX:
        raise ValidationError(f"a rate card has at most {v.LIST_MAX} lines", field="lines")
    keys = [(line.platform, line.format) for line in parsed]
    if len(set(keys)) != len(keys):
        raise ValidationError("one line per platform and format", field="lines")
    return parsed
