# mypy: disable-error-code="untyped-decorator"
"""Every campaign mutation: one ``input:`` argument, a result union.

Each input becomes one domain command, run by the ledger's pipeline through
:func:`~graphql_api.commands.run_command`; the domain decides who may act
(:mod:`domain.access`: an unknown campaign and one the caller is no party to
both read NOT_FOUND; auditors and admins, who read every campaign but act in
none, get FORBIDDEN). The payload's campaign is the view exactly at the version
the command produced.
"""

from __future__ import annotations

from typing import Any

import strawberry
from anyio import to_thread

from domain.application import CommandResult
from domain.audit import campaign_view
from graphql_api.campaigns import inputs as ci
from graphql_api.campaigns.campaign import Campaign, remember_view
from graphql_api.campaigns.giveaway_entries import GiveawayEntriesCount, entries_count
from graphql_api.commands import CommandInput, run_command
from graphql_api.ledger_context import Info
from graphql_api.user_errors import result_union


@strawberry.type(description="A campaign after a change, with where the change landed.")
class CampaignPayload:
    campaign: Campaign
    version: int
    position: str = strawberry.field(
        description="Store position of the last event written; pass it as atLeast to read it."
    )
    giveaway_entries: GiveawayEntriesCount | None = strawberry.field(
        default=None, description="For recordGiveawayEntries: how many were new, how many in."
    )


def _result(name: str) -> Any:
    return result_union(f"{name}Result", CampaignPayload)


async def _payload(info: Info, result: CommandResult) -> CampaignPayload:
    ledger = info.context.ledger
    view = await to_thread.run_sync(
        lambda: campaign_view(ledger, result.aggregate_id, version=result.version)
    )
    remember_view(info, view)
    return CampaignPayload(
        campaign=Campaign.from_view(view), version=result.version, position=str(result.position)
    )


async def _run(info: Info, input: CommandInput) -> Any:
    return await run_command(info, input, lambda result: _payload(info, result))


@strawberry.type
class CampaignMutation:
    # --- pitch and agreement ----------------------------------------------------------
    @strawberry.mutation(
        graphql_type=_result("PitchCampaign"),
        description="A brand invites a creator, or a creator pitches a brand (or its open brief).",
    )
    async def pitch_campaign(self, info: Info, input: ci.PitchCampaignInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(
        graphql_type=_result("CounterOffer"),
        description="New terms from the party that did not make the latest offer.",
    )
    async def counter_offer(self, info: Info, input: ci.CounterOfferInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("AcceptPitch"))
    async def accept_pitch(self, info: Info, input: ci.AcceptPitchInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("DeclinePitch"))
    async def decline_pitch(self, info: Info, input: ci.DeclinePitchInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("WithdrawPitch"))
    async def withdraw_pitch(self, info: Info, input: ci.WithdrawPitchInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(
        graphql_type=_result("SignAgreement"),
        description="Sign the accepted terms' digest; the second signature concludes.",
    )
    async def sign_agreement(self, info: Info, input: ci.SignAgreementInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("CancelCampaign"))
    async def cancel_campaign(self, info: Info, input: ci.CancelCampaignInput) -> Any:
        return await _run(info, input)

    # --- posting ------------------------------------------------------------------------
    @strawberry.mutation(graphql_type=_result("SubmitDraft"))
    async def submit_draft(self, info: Info, input: ci.SubmitDraftInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("RequestChanges"))
    async def request_changes(self, info: Info, input: ci.RequestChangesInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("ApproveDraft"))
    async def approve_draft(self, info: Info, input: ci.ApproveDraftInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("PublishPost"))
    async def publish_post(self, info: Info, input: ci.PublishPostInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("RecordPostMetrics"))
    async def record_post_metrics(self, info: Info, input: ci.RecordPostMetricsInput) -> Any:
        return await _run(info, input)

    # --- giveaway -----------------------------------------------------------------------
    @strawberry.mutation(graphql_type=_result("AnnounceGiveaway"))
    async def announce_giveaway(self, info: Info, input: ci.AnnounceGiveawayInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(
        graphql_type=_result("RecordGiveawayEntries"),
        description="A batch of entrant handles; handles already entered are ignored and "
        "counted in giveawayEntries.alreadyIn.",
    )
    async def record_giveaway_entries(
        self, info: Info, input: ci.RecordGiveawayEntriesInput
    ) -> Any:
        ledger = info.context.ledger

        async def success(result: CommandResult) -> CampaignPayload:
            payload = await _payload(info, result)
            payload.giveaway_entries = await to_thread.run_sync(
                lambda: entries_count(ledger, result, input.giveaway_id, input.entries)
            )
            return payload

        return await run_command(info, input, success)

    @strawberry.mutation(graphql_type=_result("CloseGiveaway"))
    async def close_giveaway(self, info: Info, input: ci.CloseGiveawayInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(
        graphql_type=_result("DrawGiveawayWinners"),
        description="Reveal the committed seed; the winners follow from it and the entries.",
    )
    async def draw_giveaway_winners(self, info: Info, input: ci.DrawGiveawayWinnersInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("ShipPrize"))
    async def ship_prize(self, info: Info, input: ci.ShipPrizeInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("ConfirmPrizeDelivered"))
    async def confirm_prize_delivered(
        self, info: Info, input: ci.ConfirmPrizeDeliveredInput
    ) -> Any:
        return await _run(info, input)

    # --- follow-up ----------------------------------------------------------------------
    @strawberry.mutation(graphql_type=_result("ReportPerformance"))
    async def report_performance(self, info: Info, input: ci.ReportPerformanceInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("ReportSalesUplift"))
    async def report_sales_uplift(self, info: Info, input: ci.ReportSalesUpliftInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("RecordPayment"))
    async def record_payment(self, info: Info, input: ci.RecordPaymentInput) -> Any:
        return await _run(info, input)

    # --- feedback -----------------------------------------------------------------------
    @strawberry.mutation(
        graphql_type=_result("SubmitFeedback"),
        description="Double-blind: hidden from the other side until both submit or it is "
        "revealed after the feedback window.",
    )
    async def submit_feedback(self, info: Info, input: ci.SubmitFeedbackInput) -> Any:
        return await _run(info, input)

    @strawberry.mutation(graphql_type=_result("RevealFeedback"))
    async def reveal_feedback(self, info: Info, input: ci.RevealFeedbackInput) -> Any:
        return await _run(info, input)
