"""The next actions are exact: for random campaign histories, every listed action
with each of its targets is accepted, and every action, party and target not
listed is refused — tried on a copy of the campaign through the same decision the
ledger runs, while the history itself advances through the ledger."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from domain.application import Ledger
from domain.application import commands as c
from domain.application.ledger import HANDLERS
from domain.campaign import Campaign
from domain.campaign_rules import RULES
from domain.catalog import Party
from domain.context import Actor, CommandContext
from domain.errors import LedgerError
from domain.giveaway_draw import commitment_for
from domain.money import Money, minor_unit
from domain.next_actions import NextAction, Target, next_actions
from tests.domain.builders import BRAND_RATINGS, CREATOR_RATINGS, SEED, campaign_at
from tests.support import FakeClock

Key = tuple[str | None, int | None, int | None, str | None, str | None]


def key(t: Target) -> Key:
    return (t.deliverable_id, t.draft_no, t.post_no, t.giveaway_id, t.winner)


def command(camp: Campaign, action: str, party: Party, t: Target, now: Any) -> c.Command:
    """The command for ``action`` on target ``t``, with input that is otherwise valid."""
    cid = camp.id
    today = now.date()
    cash = camp.terms.compensation.cash
    currency = cash.currency if cash else "IDR"
    match action:
        case "counterOffer":
            terms = camp.terms.to_json()
            terms["payment_due_days"] = camp.terms.payment_due_days + 1
            for d in terms["deliverables"]:
                d["due_on"] = max(date.fromisoformat(d["due_on"]), today)
            return c.CounterOffer(campaign_id=cid, terms=terms, message="counter")
        case "acceptPitch":
            return c.AcceptPitch(campaign_id=cid)
        case "declinePitch":
            return c.DeclinePitch(campaign_id=cid, reason="no")
        case "withdrawPitch":
            return c.WithdrawPitch(campaign_id=cid)
        case "signAgreement":
            return c.SignAgreement(campaign_id=cid, terms_digest=camp.terms_digest or "")
        case "cancelCampaign":
            return c.CancelCampaign(campaign_id=cid, reason="changed plans")
        case "submitDraft":
            return c.SubmitDraft(
                campaign_id=cid,
                deliverable_id=t.deliverable_id or "",
                caption="draft #ad",
                pros=["light"],
                cons=["pricey"],
            )
        case "requestChanges":
            return c.RequestChanges(
                campaign_id=cid,
                deliverable_id=t.deliverable_id or "",
                draft_no=t.draft_no or 1,
                notes="again",
            )
        case "approveDraft":
            return c.ApproveDraft(
                campaign_id=cid, deliverable_id=t.deliverable_id or "", draft_no=t.draft_no or 1
            )
        case "publishPost":
            return c.PublishPost(
                campaign_id=cid,
                deliverable_id=t.deliverable_id or "",
                url="https://instagram.com/p/x",
                published_at=now,
                caption="Love it #ad",
            )
        case "recordPostMetrics":
            return c.RecordPostMetrics(
                campaign_id=cid,
                deliverable_id=t.deliverable_id or "",
                post_no=t.post_no or 1,
                observed_at=now,
                followers=4_000,
                likes=10,
                comments=2,
            )
        case "announceGiveaway":
            return c.AnnounceGiveaway(
                campaign_id=cid,
                giveaway_id=f"g{len(camp.giveaways) + 1}",
                prize="serum",
                winner_count=2,
                entry_rules=["follow"],
                closes_at=now + timedelta(hours=12),
                seed_commitment=commitment_for(SEED),
            )
        case "recordGiveawayEntries":
            return c.RecordGiveawayEntries(
                campaign_id=cid, giveaway_id=t.giveaway_id or "", entries=[f"fan{uuid4().hex[:8]}"]
            )
        case "closeGiveaway":
            return c.CloseGiveaway(campaign_id=cid, giveaway_id=t.giveaway_id or "")
        case "drawGiveawayWinners":
            return c.DrawGiveawayWinners(
                campaign_id=cid, giveaway_id=t.giveaway_id or "", seed=SEED
            )
        case "shipPrize":
            return c.ShipPrize(
                campaign_id=cid,
                giveaway_id=t.giveaway_id or "",
                winner=t.winner or "",
                carrier="JNE",
                tracking_ref="JNE-1",
            )
        case "confirmPrizeDelivered":
            return c.ConfirmPrizeDelivered(
                campaign_id=cid, giveaway_id=t.giveaway_id or "", winner=t.winner or ""
            )
        case "reportPerformance":
            return c.ReportPerformance(
                campaign_id=cid,
                period_start=today,
                period_end=today,
                reach=100,
                impressions=200,
                engagements=20,
            )
        case "reportSalesUplift":
            return c.ReportSalesUplift(
                campaign_id=cid, baseline=Money.of("100", "IDR"), during=Money.of("150", "IDR")
            )
        case "recordPayment":
            amount = t.amount or Money(minor_unit(currency), currency)
            return c.RecordPayment(campaign_id=cid, amount=amount, paid_at=now, reference="TRX")
        case "submitFeedback":
            ratings = BRAND_RATINGS if party is Party.BRAND else CREATOR_RATINGS
            return c.SubmitFeedback(campaign_id=cid, ratings=ratings, would_work_again=True)
        case "revealFeedback":
            return c.RevealFeedback(campaign_id=cid)
    raise AssertionError(action)


def candidates(camp: Campaign, action: str) -> list[Target]:
    """Every target a caller might name for ``action``, listed or not."""
    deliverables = [d.deliverable_id for d in camp.terms.deliverables]
    giveaways = sorted(camp.giveaways) or ["g1"]
    if action in {"submitDraft", "publishPost"}:
        return [Target(deliverable_id=d) for d in deliverables]
    if action in {"requestChanges", "approveDraft"}:
        return [
            Target(deliverable_id=d, draft_no=len(camp.drafts.get(d, [])) or 1)
            for d in deliverables
        ]
    if action == "recordPostMetrics":
        return [
            Target(deliverable_id=d.deliverable_id, post_no=n)
            for d in camp.terms.deliverables
            for n in range(1, d.quantity + 1)
        ]
    if action in {"recordGiveawayEntries", "closeGiveaway", "drawGiveawayWinners"}:
        return [Target(giveaway_id=g) for g in giveaways]
    if action in {"shipPrize", "confirmPrizeDelivered"}:
        return [
            Target(giveaway_id=g, winner=w)
            for g in giveaways
            for w in {*(camp.giveaways.get(g, {}).get("winners") or ()), "nobody.here"}
        ]
    return [Target()]


class History:
    def __init__(self, ledger: Ledger, clock: FakeClock, data: st.DataObject) -> None:
        self.ledger, self.clock, self.data = ledger, clock, data
        admin = ledger.context(Actor.admin())
        suffix = uuid4().hex[:8]
        self.brand_id = ledger.execute(
            admin, c.RegisterBrand(name=f"Brand {suffix}", industry="beauty")
        ).aggregate_id
        self.creator_id = ledger.execute(
            admin,
            c.RegisterCreator(
                handle=f"c{suffix}", display_name="C", niches=["beauty"], origin="NATIVE"
            ),
        ).aggregate_id
        today = clock().date()
        deliverables = [
            {
                "platform": "INSTAGRAM",
                "format": "POST",
                "quantity": data.draw(st.integers(1, 2)),
                "due_on": today + timedelta(days=data.draw(st.integers(1, 20))),
            }
            for _ in range(data.draw(st.integers(1, 2)))
        ]
        cash = data.draw(st.sampled_from((None, "500000", "750000")))
        terms = {
            "deliverables": deliverables,
            "compensation": (
                {"cash": {"amount": cash, "currency": "IDR"}}
                if cash
                else {"product_description": "a serum"}
            ),
            "approval_required": data.draw(st.booleans()),
            "giveaway_required": data.draw(st.booleans()),
        }
        by_brand = data.draw(st.booleans())
        self.campaign_id = ledger.execute(
            self.ctx(Party.BRAND if by_brand else Party.CREATOR),
            c.PitchCampaign(
                brand_id=self.brand_id, creator_id=self.creator_id, terms=terms, message="hi"
            ),
        ).aggregate_id

    def ctx(self, party: Party) -> CommandContext:
        actor = (
            Actor.brand(self.brand_id) if party is Party.BRAND else Actor.creator(self.creator_id)
        )
        return self.ledger.context(actor)

    def accepted(self, camp: Campaign, cmd: c.Command, party: Party) -> bool:
        """Whether the ledger's decision accepts ``cmd`` now, tried on a copy."""
        try:
            HANDLERS[type(cmd)].decide(self.ledger, self.ctx(party), cmd, copy.deepcopy(camp))
        except LedgerError:
            return False
        return True

    def check_exact(self) -> list[tuple[NextAction, Target]]:
        camp = self.ledger.get_campaign(self.campaign_id)
        now = self.clock()
        listed = {(a.action, a.party): a for a in next_actions(camp, now)}
        offers: list[tuple[NextAction, Target]] = []
        for action in RULES:
            for party in Party:
                found = listed.get((action, party))
                targets = list(found.targets or (Target(),)) if found else []
                for target in targets:
                    cmd = command(camp, action, party, target, now)
                    assert self.accepted(camp, cmd, party), (action, party, target, camp.state)
                    assert found is not None
                    offers.append((found, target))
                listed_keys = {key(t) for t in targets}
                for target in candidates(camp, action):
                    if key(target) in listed_keys:
                        continue
                    cmd = command(camp, action, party, target, now)
                    assert not self.accepted(camp, cmd, party), (action, party, target, camp.state)
        allowed = {p: camp.allowed_actions(now, p) for p in Party}
        for party in Party:
            assert allowed[party] == list(dict.fromkeys(a for a, p in listed if p is party))
        return offers

    def step(self) -> None:
        offers = self.check_exact()
        if not offers or self.data.draw(st.integers(0, 9)) == 0:
            self.clock.advance(hours=self.data.draw(st.sampled_from((1, 13, 24 * 5, 24 * 15))))
            return
        weights = {"cancelCampaign": 1, "declinePitch": 1, "withdrawPitch": 1, "counterOffer": 3}
        pool = [o for o in offers for _ in range(weights.get(o[0].action, 40))]
        action, target = self.data.draw(st.sampled_from(pool))
        camp = self.ledger.get_campaign(self.campaign_id)
        cmd = command(camp, action.action, action.party, target, self.clock())
        self.ledger.execute(self.ctx(action.party), cmd)


@pytest.mark.parametrize("steps", [40])
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_listed_actions_succeed_and_unlisted_ones_are_refused(
    ledger: Ledger, clock: FakeClock, steps: int, data: st.DataObject
) -> None:
    history = History(ledger, clock, data)
    for _ in range(steps):
        history.step()
    history.check_exact()
    final = ledger.get_campaign(history.campaign_id)
    event(f"ends {final.state.value}")
    event(f"winners drawn: {any(g['winners'] for g in final.giveaways.values())}")


def test_a_delivered_campaign_offers_only_what_its_records_allow(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    found = next_actions(scenario.campaign(), ledger.clock())

    assert [(a.action, a.party) for a in found] == [
        ("cancelCampaign", Party.BRAND),
        ("cancelCampaign", Party.CREATOR),
        ("recordPostMetrics", Party.CREATOR),
        ("reportPerformance", Party.CREATOR),
        ("reportSalesUplift", Party.BRAND),
        ("recordPayment", Party.BRAND),
        ("submitFeedback", Party.BRAND),
        ("submitFeedback", Party.CREATOR),
    ]  # no giveaway in the terms, no feedback to reveal yet
    [payment] = [a for a in found if a.action == "recordPayment"]
    assert payment.targets[0].amount == Money.of("500000", "IDR")
    assert payment.targets[0].due_on == scenario.campaign().payment_due_on
