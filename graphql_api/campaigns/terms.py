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


@strawberry.type(description="One piece of content the terms ask for.")
class Deliverable:
    deliverable_id: str
    platform: Platform
    format: ContentFormat
    quantity: int
    due_on: date

    @classmethod
    def from_domain(cls, deliverable: domain_terms.Deliverable) -> Deliverable:
        return cls(
            deliverable_id=deliverable.deliverable_id,
            platform=deliverable.platform,
            format=deliverable.format,
            quantity=deliverable.quantity,
            due_on=deliverable.due_on,
        )


@strawberry.type(description="What the creator receives: cash, a product, or something else.")
class Compensation:
    cash: MoneyType | None
    product_description: str | None
    product_value: MoneyType | None
    other: str | None

    @classmethod
    def from_domain(cls, compensation: domain_terms.Compensation) -> Compensation:
        return cls(
            cash=MoneyType.maybe(compensation.cash),
            product_description=compensation.product_description,
            product_value=MoneyType.maybe(compensation.product_value),
            other=compensation.other,
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
        return cls(
            deliverables=[Deliverable.from_domain(d) for d in terms.deliverables],
            compensation=Compensation.from_domain(terms.compensation),
            giveaway_required=terms.giveaway_required,
            approval_required=terms.approval_required,
            payment_due_days=terms.payment_due_days,
            usage_rights_days=terms.usage_rights_days,
            exclusivity_days=terms.exclusivity_days,
            digest=terms.digest,
        )


@strawberry.type(description="A pitch or counter-offer: who proposed which terms, and when.")
class Offer:
    by: Party
    terms: Terms
    message: str
    at: datetime

    @classmethod
    def from_domain(cls, offer: cv.Offer) -> Offer:
        return cls(
            by=offer.by,
            terms=Terms.from_domain(offer.terms),
            message=offer.message,
            at=offer.at,
        )


@strawberry.type(description="A party's signature on the accepted terms.")
class Signature:
    party: Party
    signed_at: datetime

    @classmethod
    def from_domain(cls, party: Party, signed_at: datetime) -> Signature:
        return cls(party=party, signed_at=signed_at)
