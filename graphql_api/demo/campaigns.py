"""One campaign from pitch to agreement — counter-offers, declines, withdrawals,
signatures, the odd cancellation — then its work and follow-up.

A campaign is one step of the simulation (see :mod:`graphql_api.demo.market`):
it yields whenever its parties would wait, and stops where a command is refused.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.application.commands import (
    AcceptPitch,
    AnnounceGiveaway,
    CancelCampaign,
    CounterOffer,
    DeclinePitch,
    PitchCampaign,
    RecordGiveawayEntries,
    SignAgreement,
    WithdrawPitch,
)
from domain.context import Actor
from domain.giveaway_draw import commitment_for
from domain.money import Money
from graphql_api.demo import vocabulary as words
from graphql_api.demo.follow_up import follow_up
from graphql_api.demo.market import DAY, CreatorProfile, DemoMarket, Step
from graphql_api.demo.work import deliver_unit, finish_giveaway


def campaign(market: DemoMarket) -> Step:
    brand = market.rng.choice(market.brands)
    matching = _matching_creators(market, brand.niches)
    creator = market.rng.choice(matching or market.creators)
    brand_actor, creator_actor = Actor.brand(brand.id), Actor.creator(creator.id)
    brand_pitches = market.rng.random() < 0.6
    pitcher = brand_actor if brand_pitches else creator_actor
    receiver = creator_actor if brand_pitches else brand_actor
    terms = _terms(market, creator)
    open_briefs = [b for b, ends in brand.briefs if ends >= market.now.date() + 5 * DAY]
    brief_id = market.rng.choice(open_briefs) if open_briefs and market.rng.random() < 0.5 else None
    message = (
        f"Halo! Kami ingin bekerja sama dengan {creator.handle}."
        if brand_pitches
        else "Halo, saya tertarik mereview produk kalian untuk audiens saya."
    )
    result = market.run(
        pitcher,
        lambda: PitchCampaign(
            brand_id=brand.id,
            creator_id=creator.id,
            brief_id=brief_id,
            message=message,
            terms=terms,
        ),
    )
    if result is None:
        return
    cid: UUID = result.aggregate_id
    market.stats.campaigns += 1
    yield timedelta(hours=market.rng.uniform(2, 72))

    offerer, other = pitcher, receiver
    for _ in range(2):
        if market.rng.random() >= 0.3:
            break
        terms = _counter_terms(market, terms)
        if (
            market.run(
                other,
                lambda t=terms: CounterOffer(
                    campaign_id=cid,
                    terms=t,
                    message="Bagaimana kalau fee-nya disesuaikan sedikit?",
                ),
            )
            is None
        ):
            return
        offerer, other = other, offerer
        yield timedelta(hours=market.rng.uniform(2, 72))
    roll = market.rng.random()
    if roll < 0.12:
        market.run(
            other,
            lambda: DeclinePitch(campaign_id=cid, reason=market.rng.choice(words.DECLINE_REASONS)),
        )
        return
    if roll < 0.2:
        market.run(offerer, lambda: WithdrawPitch(campaign_id=cid))
        return
    accepted = market.run(other, lambda: AcceptPitch(campaign_id=cid))
    if accepted is None:
        return
    yield timedelta(hours=market.rng.uniform(1, 48))
    assert market.ledger is not None
    digest = market.ledger.get_campaign(cid).terms.digest
    for signer in market.rng.sample([brand_actor, creator_actor], 2):
        if (
            market.run(signer, lambda s=signer: SignAgreement(campaign_id=cid, terms_digest=digest))
            is None
        ):
            return
        yield timedelta(hours=market.rng.uniform(1, 24))

    if market.rng.random() < 0.05:
        yield timedelta(days=market.rng.uniform(1, 6))
        canceller = creator_actor if market.rng.random() < 0.5 else brand_actor
        market.run(
            canceller,
            lambda: CancelCampaign(campaign_id=cid, reason=market.rng.choice(words.CANCEL_REASONS)),
        )
        return

    giveaway = None
    if terms["giveaway_required"]:
        seed = f"seed-{market.rng.getrandbits(96):024x}"
        giveaway = ("g1", seed)
        closes = market.now + timedelta(days=market.rng.uniform(5, 12))
        market.run(
            creator_actor,
            lambda: AnnounceGiveaway(
                campaign_id=cid,
                giveaway_id="g1",
                prize="Paket produk lengkap",
                prize_value=Money(Decimal(market.rng.randint(10, 50) * 10_000), "IDR"),
                winner_count=market.rng.randint(1, 5),
                entry_rules=[
                    "follow akun brand",
                    "share postingan ke story",
                    "tag 3 teman",
                ],
                closes_at=closes,
                seed_commitment=commitment_for(seed),
            ),
        )
        entrants = market.rng.randint(80, 650)
        recorded = 0
        while recorded < entrants and market.now + 2 * DAY < closes:
            batch = min(entrants - recorded, market.rng.randint(40, 160))
            entries = [f"fan_{cid.hex[:6]}_{n}" for n in range(recorded, recorded + batch)]
            market.run(
                creator_actor,
                lambda e=entries: RecordGiveawayEntries(
                    campaign_id=cid, giveaway_id="g1", entries=e
                ),
            )
            recorded += batch
            yield timedelta(hours=market.rng.uniform(6, 30))

    for deliverable in terms["deliverables"]:
        for _ in range(deliverable["quantity"]):
            yield from deliver_unit(market, cid, brand, creator, deliverable, terms)

    if giveaway is not None:
        yield from finish_giveaway(market, cid, brand_actor, creator_actor, giveaway)

    yield from follow_up(market, cid, brand, creator, terms)


def _matching_creators(market: DemoMarket, niches: tuple[str, ...]) -> list[CreatorProfile]:
    """Creators sharing a niche, in registration order; computed once per niche set
    (the creators are all registered before the first campaign)."""
    found = market.niche_matches.get(niches)
    if found is None:
        found = [c for c in market.creators if set(c.niches) & set(niches)]
        market.niche_matches[niches] = found
    return found


def _terms(market: DemoMarket, creator: CreatorProfile) -> dict[str, Any]:
    platform_formats = list(creator.rates)
    chosen = market.rng.sample(
        platform_formats, min(len(platform_formats), market.rng.choice((1, 1, 1, 2, 2, 3)))
    )
    today = market.now.date()
    deliverables, fee = [], 0
    for number, (platform, content) in enumerate(chosen, start=1):
        quantity = market.rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
        fee += creator.rates[(platform, content)] * quantity
        deliverables.append(
            {
                "deliverable_id": f"d{number}",
                "platform": platform.value,
                "format": content.value,
                "quantity": quantity,
                "due_on": today + timedelta(days=market.rng.randint(18, 40)),
            }
        )
    product_only = market.rng.random() < 0.1
    cash = (
        None
        if product_only
        else {
            "amount": str(int(round(fee * market.rng.uniform(0.85, 1.1) / 10_000) * 10_000)),
            "currency": "IDR",
        }
    )
    return {
        "deliverables": deliverables,
        "compensation": {
            "cash": cash,
            "product_description": "Produk untuk direview"
            if product_only or market.rng.random() < 0.4
            else None,
            "product_value": {
                "amount": str(market.rng.randint(10, 80) * 10_000),
                "currency": "IDR",
            }
            if product_only
            else None,
        },
        "giveaway_required": market.rng.random() < 0.2,
        "approval_required": market.rng.random() < 0.85,
        "payment_due_days": market.rng.choice((7, 14, 14, 14, 30)),
        "usage_rights_days": market.rng.choice((0, 30, 90)),
        "exclusivity_days": market.rng.choice((0, 0, 14, 30)),
    }


def _counter_terms(market: DemoMarket, terms: dict[str, Any]) -> dict[str, Any]:
    cash = terms["compensation"]["cash"]
    changed = {**terms, "compensation": dict(terms["compensation"])}
    if cash is not None:
        amount = int(Decimal(cash["amount"]) * Decimal(str(market.rng.uniform(0.8, 1.25))))
        changed["compensation"]["cash"] = {
            "amount": str(max(50_000, round(amount / 10_000) * 10_000)),
            "currency": "IDR",
        }
    if changed == terms or cash is None:
        changed["payment_due_days"] = 7 if terms["payment_due_days"] != 7 else 14
    return changed
