"""The campaign state machine as a whole: every action out of its states is an
``InvalidTransition`` naming the state and what is allowed; a party acting outside its
role is ``Forbidden``; anyone who is not a party finds nothing (``NotFound``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    AnnounceGiveaway,
    ApproveDraft,
    CancelCampaign,
    CloseGiveaway,
    ConfirmPrizeDelivered,
    CounterOffer,
    DeclinePitch,
    DrawGiveawayWinners,
    PublishPost,
    RecordGiveawayEntries,
    RecordPayment,
    RecordPostMetrics,
    ReportPerformance,
    ReportSalesUplift,
    RequestChanges,
    RevealFeedback,
    ShipPrize,
    SignAgreement,
    SubmitDraft,
    SubmitFeedback,
    WithdrawPitch,
)
from domain.campaign_rules import RULES, actions_in
from domain.catalog import CampaignState, Party
from domain.context import Actor, CommandContext
from domain.errors import Forbidden, InvalidTransition, NotFound
from domain.money import Money
from tests.domain.builders import (
    BRAND_RATINGS,
    CREATOR_RATINGS,
    SEED,
    STAGES,
    campaign_at,
    records_nothing,
    register_brand,
    register_creator,
    terms,
)

Command = Callable[[Ledger, CommandContext, UUID], Any]


def _feedback(ledger: Ledger, ctx: CommandContext, cid: UUID) -> Any:
    ratings = BRAND_RATINGS if ctx.actor.role.value == "brand" else CREATOR_RATINGS
    return ledger.execute(
        ctx, SubmitFeedback(campaign_id=cid, ratings=ratings, would_work_again=True)
    )


COMMANDS: dict[str, Command] = {
    "counterOffer": lambda ledger, ctx, cid: ledger.execute(
        ctx, CounterOffer(campaign_id=cid, terms=terms(cash="999000"), message="counter")
    ),
    "acceptPitch": lambda ledger, ctx, cid: ledger.execute(ctx, AcceptPitch(campaign_id=cid)),
    "declinePitch": lambda ledger, ctx, cid: ledger.execute(
        ctx, DeclinePitch(campaign_id=cid, reason="no")
    ),
    "withdrawPitch": lambda ledger, ctx, cid: ledger.execute(ctx, WithdrawPitch(campaign_id=cid)),
    "signAgreement": lambda ledger, ctx, cid: ledger.execute(
        ctx, SignAgreement(campaign_id=cid, terms_digest="0" * 64)
    ),
    "cancelCampaign": lambda ledger, ctx, cid: ledger.execute(
        ctx, CancelCampaign(campaign_id=cid, reason="because")
    ),
    "submitDraft": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        SubmitDraft(campaign_id=cid, deliverable_id="d1", caption="draft", pros=["a"], cons=["b"]),
    ),
    "requestChanges": lambda ledger, ctx, cid: ledger.execute(
        ctx, RequestChanges(campaign_id=cid, deliverable_id="d1", draft_no=1, notes="more")
    ),
    "approveDraft": lambda ledger, ctx, cid: ledger.execute(
        ctx, ApproveDraft(campaign_id=cid, deliverable_id="d1", draft_no=1)
    ),
    "publishPost": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        PublishPost(
            campaign_id=cid,
            deliverable_id="d1",
            url="https://x.example/p",
            published_at=ledger.clock(),
            caption="#ad",
        ),
    ),
    "recordPostMetrics": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        RecordPostMetrics(
            campaign_id=cid,
            deliverable_id="d1",
            observed_at=ledger.clock(),
            followers=1,
            likes=1,
            comments=1,
        ),
    ),
    "announceGiveaway": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        AnnounceGiveaway(
            campaign_id=cid,
            giveaway_id="g9",
            prize="p",
            winner_count=1,
            entry_rules=["follow"],
            closes_at=ledger.clock() + timedelta(days=1),
            seed_commitment="0" * 64,
        ),
    ),
    "recordGiveawayEntries": lambda ledger, ctx, cid: ledger.execute(
        ctx, RecordGiveawayEntries(campaign_id=cid, giveaway_id="g1", entries=["fan1"])
    ),
    "closeGiveaway": lambda ledger, ctx, cid: ledger.execute(
        ctx, CloseGiveaway(campaign_id=cid, giveaway_id="g1")
    ),
    "drawGiveawayWinners": lambda ledger, ctx, cid: ledger.execute(
        ctx, DrawGiveawayWinners(campaign_id=cid, giveaway_id="g1", seed=SEED)
    ),
    "shipPrize": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        ShipPrize(
            campaign_id=cid, giveaway_id="g1", winner="fan1", carrier="JNE", tracking_ref="1"
        ),
    ),
    "confirmPrizeDelivered": lambda ledger, ctx, cid: ledger.execute(
        ctx, ConfirmPrizeDelivered(campaign_id=cid, giveaway_id="g1", winner="fan1")
    ),
    "reportPerformance": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        ReportPerformance(
            campaign_id=cid,
            period_start=ledger.clock().date(),
            period_end=ledger.clock().date(),
            reach=1,
            impressions=1,
            engagements=1,
        ),
    ),
    "reportSalesUplift": lambda ledger, ctx, cid: ledger.execute(
        ctx, ReportSalesUplift(campaign_id=cid, baseline=Money.of("1"), during=Money.of("2"))
    ),
    "recordPayment": lambda ledger, ctx, cid: ledger.execute(
        ctx,
        RecordPayment(campaign_id=cid, amount=Money.of("1"), paid_at=ledger.clock(), reference="r"),
    ),
    "submitFeedback": _feedback,
    "revealFeedback": lambda ledger, ctx, cid: ledger.execute(ctx, RevealFeedback(campaign_id=cid)),
}


def test_every_action_of_the_rules_table_has_a_command() -> None:
    assert set(COMMANDS) == set(RULES)


def test_the_lifecycle_runs_from_pitch_to_completion(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "COMPLETED")

    assert scenario.event_types() == [
        "Pitched",
        "PitchAccepted",
        "AgreementSigned",
        "AgreementSigned",
        "AgreementConcluded",
        "DraftSubmitted",
        "DraftApproved",
        "PostPublished",
        "FeedbackSubmitted",
        "FeedbackSubmitted",
        "FeedbackRevealed",
        "CampaignCompleted",
    ]
    assert [e.originator_version for e in scenario.events()] == list(range(1, 13))
    assert scenario.campaign().state is CampaignState.COMPLETED


@pytest.mark.parametrize("stage", STAGES)
def test_every_action_out_of_its_states_is_an_invalid_transition_naming_what_is_allowed(
    ledger: Ledger, stage: str
) -> None:
    scenario = campaign_at(ledger, stage)
    state = CampaignState(stage)
    campaign = scenario.campaign()
    assert campaign.state is state
    now = ledger.clock()
    assert set(campaign.allowed_actions(now)) <= set(actions_in(state))
    for side in Party:
        assert set(campaign.allowed_actions(now, side)) <= set(actions_in(state, side))
    out_of_state = [action for action, rule in RULES.items() if state not in rule.states]
    assert out_of_state, "every state rules something out"

    with records_nothing(ledger):
        for action in out_of_state:
            party = min(RULES[action].parties)
            ctx = scenario.brand() if party is Party.BRAND else scenario.creator()
            with pytest.raises(InvalidTransition) as error:
                COMMANDS[action](ledger, ctx, scenario.campaign_id)
            allowed = campaign.allowed_actions(now, party)
            assert (error.value.action, error.value.state) == (action, stage), action
            assert error.value.allowed == tuple(allowed), action
            assert f"while the campaign is {stage}" in str(error.value)
            assert f"allowed now: {', '.join(allowed) or 'none'}" in str(error.value)


def test_acting_in_the_other_partys_role_is_forbidden(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    one_sided = {action: rule for action, rule in RULES.items() if len(rule.parties) == 1}
    assert {"submitDraft", "approveDraft", "recordPayment", "reportPerformance"} <= set(one_sided)

    with records_nothing(ledger):
        for action, rule in one_sided.items():
            ctx = scenario.creator() if Party.BRAND in rule.parties else scenario.brand()
            with pytest.raises(Forbidden) as error:
                COMMANDS[action](ledger, ctx, scenario.campaign_id)
            assert action in str(error.value)


def test_strangers_find_no_campaign(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    strangers = [
        ledger.context(Actor.brand(register_brand(ledger, "Rival"))),
        ledger.context(Actor.creator(register_creator(ledger, "other.creator"))),
    ]

    with records_nothing(ledger):
        for ctx in strangers:
            for action, command in COMMANDS.items():
                with pytest.raises(NotFound) as error:
                    command(ledger, ctx, scenario.campaign_id)
                assert error.value.kind == "campaign", action


def test_auditors_and_admins_read_campaigns_but_act_in_none(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger):
        for ctx in (ledger.context(Actor.auditor()), ledger.context(Actor.admin())):
            for action, command in COMMANDS.items():
                with pytest.raises(Forbidden) as error:
                    command(ledger, ctx, scenario.campaign_id)
                assert action in str(error.value)


def test_a_foreign_campaign_looks_exactly_like_a_missing_one(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    rival = ledger.context(Actor.brand(register_brand(ledger, "Rival")))
    missing = ledger.new_id()

    with pytest.raises(NotFound) as foreign:
        ledger.execute(rival, CancelCampaign(campaign_id=scenario.campaign_id, reason="x"))
    with pytest.raises(NotFound) as unknown:
        ledger.execute(rival, CancelCampaign(campaign_id=missing, reason="x"))

    assert str(foreign.value).replace(str(scenario.campaign_id), "ID") == str(
        unknown.value
    ).replace(str(missing), "ID")
    assert (foreign.value.code, foreign.value.field) == (unknown.value.code, unknown.value.field)
