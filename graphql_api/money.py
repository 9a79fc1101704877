"""Money in the API: a decimal amount as a string-safe Decimal plus an ISO 4217 code.

Every amount leaves the API through :func:`displayed`, rounded half-even to its
currency's minor unit (:func:`domain.money.for_display`): amounts recorded from
input already are; derived ones (medians, costs per engagement) are rounded
here and nowhere else (docs/workflow.md)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.money import DEFAULT_CURRENCY, for_display
from domain.money import Money as DomainMoney


def plain(amount: Decimal) -> Decimal:
    """The same value written without an exponent: ``500000``, never ``5E+5``
    (domain amounts are normalised Decimals, which print in exponent form)."""
    return Decimal(format(amount, "f"))


def displayed(amount: Decimal, currency: str) -> Decimal:
    """``amount`` as the API shows it in ``currency``: rounded to the minor unit, plain,
    without trailing zeros (``12.5`` USD, as every amount has always been written)."""
    return plain(for_display(amount, currency).normalize())


@strawberry.type(name="Money", description="A decimal amount and its ISO 4217 currency.")
class MoneyType:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> MoneyType:
        return cls(amount=displayed(amount, currency), currency=currency)

    @classmethod
    def from_domain(cls, money: DomainMoney) -> MoneyType:
        return cls.of(money.amount, money.currency)

    @classmethod
    def maybe(cls, money: DomainMoney | None) -> MoneyType | None:
        return None if money is None else cls.from_domain(money)


@strawberry.input(name="MoneyInput")
class MoneyInput:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def to_domain(self, field: str = "amount") -> DomainMoney:
        return DomainMoney.of(self.amount, self.currency, field)

    def positive(self, field: str = "amount") -> DomainMoney:
        return DomainMoney.positive(self.amount, self.currency, field)
