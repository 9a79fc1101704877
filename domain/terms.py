"""The terms of a collaboration and their digest.

Both parties sign the SHA-256 digest of the terms' canonical JSON; after the
second signature the terms are locked, so the digest proves what was agreed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain import validation as v
from domain.canonical import digest_of
from domain.catalog import ContentFormat, Platform
from domain.errors import ValidationError
from domain.money import Money

MAX_DELIVERABLES = 20
DEFAULT_PAYMENT_DUE_DAYS = 14


@dataclass(frozen=True)
class Deliverable:
    deliverable_id: str
    platform: Platform
    format: ContentFormat
    quantity: int
    due_on: date

    @classmethod
    def create(cls, data: Mapping[str, Any], index: int) -> Deliverable:
        field = f"terms.deliverables[{index}]"
        data = v.mapping(data, field)
        deliverable_id = data.get("deliverable_id") or f"d{index + 1}"
        return cls(
            deliverable_id=v.text(deliverable_id, f"{field}.deliverable_id", max_len=40),
            platform=v.choice(Platform, data.get("platform"), f"{field}.platform"),
            format=v.choice(ContentFormat, data.get("format"), f"{field}.format"),
            quantity=v.positive_int(data.get("quantity", 1), f"{field}.quantity", maximum=50),
            due_on=v.a_date(data.get("due_on"), f"{field}.due_on"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "deliverable_id": self.deliverable_id,
            "platform": self.platform.value,
            "format": self.format.value,
            "quantity": self.quantity,
            "due_on": self.due_on.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Deliverable:
        return cls(
            deliverable_id=data["deliverable_id"],
            platform=Platform(data["platform"]),
            format=ContentFormat(data["format"]),
            quantity=int(data["quantity"]),
            due_on=date.fromisoformat(data["due_on"]),
        )


@dataclass(frozen=True)
class Compensation:
    cash: Money | None = None
    product_description: str | None = None
    product_value: Money | None = None
    other: str | None = None

    @classmethod
    def create(cls, data: Mapping[str, Any]) -> Compensation:
        field = "terms.compensation"
        cash = data.get("cash")
        product_value = data.get("product_value")
        compensation = cls(
            cash=_money(cash, f"{field}.cash") if cash is not None else None,
            product_description=v.optional_text(
                data.get("product_description"), f"{field}.product_description", max_len=500
            ),
            product_value=(
                _money(product_value, f"{field}.product_value")
                if product_value is not None
                else None
            ),
            other=v.optional_text(data.get("other"), f"{field}.other", max_len=500),
        )
        if (
            compensation.cash is None
            and compensation.product_description is None
            and (compensation.other is None)
        ):
            raise ValidationError(
                "compensation needs cash, a product or another consideration", field=field
            )
        if compensation.product_value is not None and compensation.product_description is None:
            raise ValidationError(
                "a product value needs a product description", field=f"{field}.product_value"
            )
        return compensation

    def to_json(self) -> dict[str, Any]:
        return {
            "cash": self.cash.to_json() if self.cash else None,
            "product_description": self.product_description,
            "product_value": self.product_value.to_json() if self.product_value else None,
            "other": self.other,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Compensation:
        return cls(
            cash=Money.from_json(data["cash"]) if data.get("cash") else None,
            product_description=data.get("product_description"),
            product_value=(
                Money.from_json(data["product_value"]) if data.get("product_value") else None
            ),
            other=data.get("other"),
        )


def _money(value: object, field: str) -> Money:
    if isinstance(value, Money):
        return Money.positive(value.amount, value.currency, field)
    if isinstance(value, Mapping):
        return Money.positive(value.get("amount"), value.get("currency", "IDR"), field)
    raise ValidationError(f"{field} must be an amount with a currency", field=field)


@dataclass(frozen=True)
class Terms:
    deliverables: tuple[Deliverable, ...]
    compensation: Compensation
    giveaway_required: bool = False
    approval_required: bool = True
    payment_due_days: int = DEFAULT_PAYMENT_DUE_DAYS
    usage_rights_days: int = 0
    exclusivity_days: int = 0

    @classmethod
    def create(cls, data: Mapping[str, Any]) -> Terms:
        """Terms from user input, validated; deliverable ids default to d1, d2, …"""
        data = v.mapping(data, "terms")
        raw = data.get("deliverables")
        if not isinstance(raw, Iterable) or isinstance(raw, str | bytes | Mapping):
            raise ValidationError("terms need a list of deliverables", field="terms.deliverables")
        deliverables = tuple(Deliverable.create(item, i) for i, item in enumerate(raw))
        if not deliverables:
            raise ValidationError("terms need at least one deliverable", field="terms.deliverables")
        if len(deliverables) > MAX_DELIVERABLES:
            raise ValidationError(
                f"terms allow at most {MAX_DELIVERABLES} deliverables", field="terms.deliverables"
            )
        ids = [d.deliverable_id for d in deliverables]
        if len(set(ids)) != len(ids):
            raise ValidationError("deliverable ids must be unique", field="terms.deliverables")
        compensation = data.get("compensation")
        if not isinstance(compensation, Mapping):
            raise ValidationError("terms need a compensation", field="terms.compensation")
        return cls(
            deliverables=deliverables,
            compensation=Compensation.create(compensation),
            giveaway_required=_flag(data.get("giveaway_required", False), "giveaway_required"),
            approval_required=_flag(data.get("approval_required", True), "approval_required"),
            payment_due_days=v.days(
                data.get("payment_due_days", DEFAULT_PAYMENT_DUE_DAYS),
                "terms.payment_due_days",
                maximum=365,
            ),
            usage_rights_days=v.days(data.get("usage_rights_days", 0), "terms.usage_rights_days"),
            exclusivity_days=v.days(data.get("exclusivity_days", 0), "terms.exclusivity_days"),
        )

    def deliverable(self, deliverable_id: str) -> Deliverable | None:
        return next((d for d in self.deliverables if d.deliverable_id == deliverable_id), None)

    @property
    def units_due(self) -> int:
        return sum(d.quantity for d in self.deliverables)

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the terms."""
        return digest_of(self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {
            "deliverables": [d.to_json() for d in self.deliverables],
            "compensation": self.compensation.to_json(),
            "giveaway_required": self.giveaway_required,
            "approval_required": self.approval_required,
            "payment_due_days": self.payment_due_days,
            "usage_rights_days": self.usage_rights_days,
            "exclusivity_days": self.exclusivity_days,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Terms:
        return cls(
            deliverables=tuple(Deliverable.from_json(d) for d in data["deliverables"]),
            compensation=Compensation.from_json(data["compensation"]),
            giveaway_required=bool(data["giveaway_required"]),
            approval_required=bool(data["approval_required"]),
            payment_due_days=int(data["payment_due_days"]),
            usage_rights_days=int(data["usage_rights_days"]),
            exclusivity_days=int(data["exclusivity_days"]),
        )


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false", field=f"terms.{field}")
    return value
