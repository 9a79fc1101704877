# mypy: disable-error-code="untyped-decorator"
"""``rateBenchmarks``: what creators charge and what brands agree to pay, per
(platform, format, tier, currency). Public, like the directory it helps price."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.errors import ValidationError
from domain.money import ISO_4217
from graphql_api.enums import ContentFormat, Platform, Tier
from graphql_api.ledger_context import Info
from graphql_api.money import MoneyType
from graphql_api.read_models import read
from graphql_api.records import from_record
from projections.rate_benchmarks import queries as rb


@strawberry.type(description="Quartiles of one kind of price sample.")
class PriceDistribution:
    sample_count: int
    p25: MoneyType
    median: MoneyType
    p75: MoneyType

    @classmethod
    def maybe(cls, distribution: rb.Distribution | None, currency: str) -> PriceDistribution | None:
        if distribution is None:
            return None

        def money(amount: str) -> MoneyType:
            return MoneyType.of(Decimal(amount), currency)

        return cls(
            sample_count=distribution.sample_count,
            p25=money(distribution.p25),
            median=money(distribution.median),
            p75=money(distribution.p75),
        )


@strawberry.type(description="Prices for one platform, content format, tier and currency.")
class RateBenchmark:
    platform: Platform
    format: ContentFormat
    tier: Tier
    currency: str
    rate_card: PriceDistribution | None = strawberry.field(
        description="Prices on creators' current rate cards; null without samples."
    )
    agreed_fee: PriceDistribution | None = strawberry.field(
        description="Cash per unit in concluded agreements; null without samples."
    )

    @classmethod
    def from_benchmark(cls, benchmark: rb.RateBenchmark) -> RateBenchmark:
        return from_record(
            cls,
            benchmark,
            rate_card=PriceDistribution.maybe(benchmark.rate_card, benchmark.currency),
            agreed_fee=PriceDistribution.maybe(benchmark.agreed_fee, benchmark.currency),
        )


@strawberry.type
class RateBenchmarkQuery:
    @strawberry.field(
        description="p25/median/p75 of rate-card prices and agreed cash fees for every group "
        "with samples, narrowed by the given arguments. Public."
    )
    async def rate_benchmarks(
        self,
        info: Info,
        platform: Platform | None = None,
        format: ContentFormat | None = None,
        tier: Tier | None = None,
        currency: str | None = None,
    ) -> list[RateBenchmark]:
        code = None if currency is None else currency.strip().upper()
        if code is not None and code not in ISO_4217:
            raise ValidationError(f"unknown currency {currency!r}", field="currency")
        benchmarks = await read(
            info,
            lambda store: rb.rate_benchmarks(
                store, platform=platform, format=format, tier=tier, currency=code
            ),
        )
        return [RateBenchmark.from_benchmark(b) for b in benchmarks]
