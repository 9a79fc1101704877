"""What a campaign's parties offer and sign: terms, offers and signatures.

Output types only; the matching inputs are in :mod:`graphql_api.campaigns.inputs`.
The terms' ``digest`` is what both parties sign, so a portal shows it beside
the terms it stands for.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from domain import campaign_view as cv
from domain import terms as domain_terms
from graphql_api.enums import ContentFormat, Party, Platform
from graphql_api.money import MoneyType
from graphql_api.records import from_record


@strawberry.type(description="One piece of content the terms ask for.")
class Deliverable:
    deliverable_id: str
    platform: Platform
    format: ContentFormat
    quantity: int
    due_on: date

    @classmethod
    def from_domain(cls, deliverable: domain_terms.Deliverable) -> Deliverable:
        return from_record(cls, deliverable)


@strawberry.type(description="What the creator receives: cash, a product, or something else.")
class Compensation:
    cash: MoneyType | None
    product_description: str | None
    product_value: MoneyType | None
    other: str | None

    @classmethod
    def from_domain(cls, compensation: domain_terms.Compensation) -> Compensation:
        return from_record(
            cls,
            compensation,
            cash=MoneyType.maybe(compensation.cash),
            product_value=MoneyType.maybe(compensation.product_value),
        )


@strawberry.type(description="The terms of a collaboration; both parties sign their digest.")
class Terms:
    deliverables: list[Deliverable]
    compensation: Compensation
    giveaway_required: bool
    approval_required: bool
    payment_due_days: int
    usage_rights_days: int
    exclusivity_days: int
    digest: str = strawberry.field(description="SHA-256 of the terms' canonical JSON.")

    @classmethod
    def from_domain(cls, terms: domain_terms.Terms) -> Terms:
        return from_record(
            cls,
            terms,
            deliverables=[Deliverable.from_domain(d) for d in terms.deliverables],
            compensation=Compensation.from_domain(terms.compensation),
        )


@strawberry.type(description="A pitch or counter-offer: who proposed which terms, and when.")
class Offer:
    by: Party
    terms: Terms
    message: str
    at: datetime

    @classmethod
    def from_domain(cls, offer: cv.Offer) -> Offer:
        return from_record(cls, offer, terms=Terms.from_domain(offer.terms))


@strawberry.type(description="A party's signature on the accepted terms.")
class Signature:
    party: Party
    signed_at: datetime

    @classmethod
    def from_domain(cls, party: Party, signed_at: datetime) -> Signature:
        return cls(party=party, signed_at=signed_at)
