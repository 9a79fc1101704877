"""Money: a Decimal amount and an ISO 4217 currency, never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from domain.errors import ValidationError

_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST
XAF XCD XOF XPF YER ZAR ZMW ZWL
"""
ISO_4217 = frozenset(_CODES.split())

AMOUNT_MAX = Decimal("1000000000000")
"""No single amount in this ledger plausibly exceeds a trillion units."""

DEFAULT_CURRENCY = "IDR"

ZERO_DECIMALS = frozenset(
    {
        *("BIF", "CLP", "DJF", "GNF", "IDR", "ISK", "JPY", "KMF", "KRW"),
        *("PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"),
    }
)
"""Currencies without minor units here. ISO 4217 gives IDR two decimals, but no price
in rupiah uses them (sen went out of use decades ago), so this ledger records whole
rupiah, as it does yen (docs/workflow.md)."""
THREE_DECIMALS = frozenset(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])


def decimals(currency: str) -> int:
    """How many decimal places an amount in ``currency`` has (its minor unit)."""
    if currency in ZERO_DECIMALS:
        return 0
    if currency in THREE_DECIMALS:
        return 3
    return 2


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency this ledger records."""
    return Decimal(1).scaleb(-decimals(currency))


def for_display(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-even to the currency's minor unit: the one place where
    derived amounts (medians, costs per engagement) are rounded; stored ones are exact."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def of(
        cls, amount: object, currency: object = DEFAULT_CURRENCY, field: str = "amount"
    ) -> Money:
        """Validated money from user input: a finite, non-negative amount with no more
        decimal places than the currency's minor unit, and a known ISO 4217 code."""
        if isinstance(amount, float | bool):
            raise ValidationError(f"{field} must be a decimal, not a float", field=field)
        try:
            value = Decimal(str(amount)) if isinstance(amount, int | str) else amount
        except InvalidOperation:
            raise ValidationError(f"{field} is not a decimal number", field=field) from None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValidationError(f"{field} is not a decimal number", field=field)
        if value < 0:
            raise ValidationError(f"{field} must not be negative", field=field)
        if value > AMOUNT_MAX:
            raise ValidationError(f"{field} is implausibly large", field=field)
        if not isinstance(currency, str) or currency.upper() not in ISO_4217:
            raise ValidationError(f"unknown currency {currency!r}", field=f"{field}.currency")
        code = currency.upper()
        places = decimals(code)
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            unit = "whole units" if places == 0 else f"at most {places} decimal places"
            raise ValidationError(f"{field} in {code} takes {unit}", field=field)
        return cls(value.normalize() if value else Decimal(0), code)

    @classmethod
    def positive(
        cls, amount: object, currency: object = DEFAULT_CURRENCY, field: str = "amount"
    ) -> Money:
        money = cls.of(amount, currency, field)
        if money.amount <= 0:
            raise ValidationError(f"{field} must be positive", field=field)
        return money

    def __add__(self, other: Money) -> Money:
        self.require_currency(other.currency)
        return Money(self.amount + other.amount, self.currency)

    def require_currency(self, currency: str, field: str = "currency") -> None:
        if currency != self.currency:
            raise ValidationError(
                f"expected an amount in {self.currency}, got {currency}", field=field
            )

    def to_json(self) -> dict[str, Any]:
        return {"amount": format(self.amount, "f"), "currency": self.currency}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Money:
        return cls(Decimal(data["amount"]), data["currency"])

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:f}"
