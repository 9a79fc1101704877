# mypy: disable-error-code="untyped-decorator"
"""Every campaign mutation of SPEC §4: one ``input:`` argument, a result union.

Each maps its input onto one :class:`~domain.application.Ledger` method, run
off the event loop by :func:`~graphql_api.commands.run_command`; the domain
decides who may act (an unknown campaign and one the caller is no party to
both read NOT_FOUND). Auditors and admins read every campaign but act in none,
so on an existing campaign they get FORBIDDEN — they know it exists. The
payload's campaign is the view exactly at the version the command produced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import strawberry
from anyio import to_thread

from domain.application import CommandResult, Ledger
from domain.audit import campaign_view
from domain.context import CommandContext, Role
from graphql_api import campaign_inputs as ci
from graphql_api.campaigns import Campaign, remember_view
from graphql_api.commands import parse_id, run_command
from graphql_api.ledger_context import Info
from graphql_api.policy import require_role
from graphql_api.user_errors import result_union

PARTY_ROLES = frozenset({Role.BRAND, Role.CREATOR})


@strawberry.type(description="A campaign after a change, with where the change landed.")
class CampaignPayload:
    campaign: Campaign
    version: int
    position: str = strawberry.field(
        description="Store position of the last event written; pass it as atLeast to read it."
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


Act = Callable[[Ledger, CommandContext, UUID], CommandResult]


async def _on_campaign(info: Info, input: ci.CampaignCommandInput, act: Act) -> Any:
    def command(ledger: Ledger, ctx: CommandContext) -> CommandResult:
        require_role(ctx, PARTY_ROLES, "change a campaign")
        return act(ledger, ctx, parse_id(input.campaign_id, "campaign", "campaignId"))

    return await run_command(info, command, lambda result: _payload(info, result))


@strawberry.type
class CampaignMutation:
    # --- pitch and agreement ----------------------------------------------------------
    @strawberry.mutation(
        graphql_type=_result("PitchCampaign"),
        description="A brand invites a creator, or a creator pitches a brand (or its open brief).",
    )
    async def pitch_campaign(self, info: Info, input: ci.PitchCampaignInput) -> Any:
        def command(ledger: Ledger, ctx: CommandContext) -> CommandResult:
            return ledger.pitch_campaign(
                ctx,
                brand_id=parse_id(input.brand_id, "brand", "brandId"),
                creator_id=parse_id(input.creator_id, "creator", "creatorId"),
                brief_id=(
                    None if input.brief_id is None else parse_id(input.brief_id, "brief", "briefId")
                ),
                message=input.message,
                terms=input.terms.to_domain(),
                idempotency_key=input.idempotency_key,
            )

        return await run_command(info, command, lambda result: _payload(info, result))

    @strawberry.mutation(
        graphql_type=_result("CounterOffer"),
        description="New terms from the party that did not make the latest offer.",
    )
    async def counter_offer(self, info: Info, input: ci.CounterOfferInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.counter_offer(
                ctx, cid, terms=input.terms.to_domain(), message=input.message, **input.guards()
            ),
        )

    @strawberry.mutation(graphql_type=_result("AcceptPitch"))
    async def accept_pitch(self, info: Info, input: ci.AcceptPitchInput) -> Any:
        return await _on_campaign(
            info, input, lambda app, ctx, cid: app.accept_pitch(ctx, cid, **input.guards())
        )

    @strawberry.mutation(graphql_type=_result("DeclinePitch"))
    async def decline_pitch(self, info: Info, input: ci.DeclinePitchInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.decline_pitch(
                ctx, cid, reason=input.reason, **input.guards()
            ),
        )

    @strawberry.mutation(graphql_type=_result("WithdrawPitch"))
    async def withdraw_pitch(self, info: Info, input: ci.WithdrawPitchInput) -> Any:
        return await _on_campaign(
            info, input, lambda app, ctx, cid: app.withdraw_pitch(ctx, cid, **input.guards())
        )

    @strawberry.mutation(
        graphql_type=_result("SignAgreement"),
        description="Sign the accepted terms' digest; the second signature concludes.",
    )
    async def sign_agreement(self, info: Info, input: ci.SignAgreementInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.sign_agreement(
                ctx, cid, terms_digest=input.terms_digest, **input.guards()
            ),
        )

    @strawberry.mutation(graphql_type=_result("CancelCampaign"))
    async def cancel_campaign(self, info: Info, input: ci.CancelCampaignInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.cancel_campaign(
                ctx, cid, reason=input.reason, **input.guards()
            ),
        )

    # --- posting ------------------------------------------------------------------------
    @strawberry.mutation(graphql_type=_result("SubmitDraft"))
    async def submit_draft(self, info: Info, input: ci.SubmitDraftInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.submit_draft(
                ctx,
                cid,
                deliverable_id=input.deliverable_id,
                caption=input.caption,
                media_urls=input.media_urls,
                pros=input.pros,
                cons=input.cons,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("RequestChanges"))
    async def request_changes(self, info: Info, input: ci.RequestChangesInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.request_changes(
                ctx,
                cid,
                deliverable_id=input.deliverable_id,
                draft_no=input.draft_no,
                notes=input.notes,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("ApproveDraft"))
    async def approve_draft(self, info: Info, input: ci.ApproveDraftInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.approve_draft(
                ctx,
                cid,
                deliverable_id=input.deliverable_id,
                draft_no=input.draft_no,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("PublishPost"))
    async def publish_post(self, info: Info, input: ci.PublishPostInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.publish_post(
                ctx,
                cid,
                deliverable_id=input.deliverable_id,
                url=input.url,
                published_at=input.published_at,
                caption=input.caption,
                paid_partnership_flag=input.paid_partnership_flag,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("RecordPostMetrics"))
    async def record_post_metrics(self, info: Info, input: ci.RecordPostMetricsInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.record_post_metrics(
                ctx,
                cid,
                deliverable_id=input.deliverable_id,
                post_no=input.post_no,
                observed_at=input.observed_at,
                followers=input.followers,
                likes=input.likes,
                comments=input.comments,
                shares=input.shares,
                saves=input.saves,
                reach=input.reach,
                impressions=input.impressions,
                views=input.views,
                **input.guards(),
            ),
        )

    # --- giveaway -----------------------------------------------------------------------
    @strawberry.mutation(graphql_type=_result("AnnounceGiveaway"))
    async def announce_giveaway(self, info: Info, input: ci.AnnounceGiveawayInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.announce_giveaway(
                ctx,
                cid,
                giveaway_id=input.giveaway_id,
                prize=input.prize,
                prize_value=(
                    None if input.prize_value is None else input.prize_value.positive("prize_value")
                ),
                winner_count=input.winner_count,
                entry_rules=input.entry_rules,
                closes_at=input.closes_at,
                seed_commitment=input.seed_commitment,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("RecordGiveawayEntries"))
    async def record_giveaway_entries(
        self, info: Info, input: ci.RecordGiveawayEntriesInput
    ) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.record_giveaway_entries(
                ctx, cid, giveaway_id=input.giveaway_id, entries=input.entries, **input.guards()
            ),
        )

    @strawberry.mutation(graphql_type=_result("CloseGiveaway"))
    async def close_giveaway(self, info: Info, input: ci.CloseGiveawayInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.close_giveaway(
                ctx, cid, giveaway_id=input.giveaway_id, **input.guards()
            ),
        )

    @strawberry.mutation(
        graphql_type=_result("DrawGiveawayWinners"),
        description="Reveal the committed seed; the winners follow from it and the entries.",
    )
    async def draw_giveaway_winners(self, info: Info, input: ci.DrawGiveawayWinnersInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.draw_giveaway_winners(
                ctx, cid, giveaway_id=input.giveaway_id, seed=input.seed, **input.guards()
            ),
        )

    @strawberry.mutation(graphql_type=_result("ShipPrize"))
    async def ship_prize(self, info: Info, input: ci.ShipPrizeInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.ship_prize(
                ctx,
                cid,
                giveaway_id=input.giveaway_id,
                winner=input.winner,
                carrier=input.carrier,
                tracking_ref=input.tracking_ref,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("ConfirmPrizeDelivered"))
    async def confirm_prize_delivered(
        self, info: Info, input: ci.ConfirmPrizeDeliveredInput
    ) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.confirm_prize_delivered(
                ctx, cid, giveaway_id=input.giveaway_id, winner=input.winner, **input.guards()
            ),
        )

    # --- follow-up ----------------------------------------------------------------------
    @strawberry.mutation(graphql_type=_result("ReportPerformance"))
    async def report_performance(self, info: Info, input: ci.ReportPerformanceInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.report_performance(
                ctx,
                cid,
                period_start=input.period_start,
                period_end=input.period_end,
                reach=input.reach,
                impressions=input.impressions,
                engagements=input.engagements,
                clicks=input.clicks,
                followers_gained=input.followers_gained,
                notes=input.notes,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("ReportSalesUplift"))
    async def report_sales_uplift(self, info: Info, input: ci.ReportSalesUpliftInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.report_sales_uplift(
                ctx,
                cid,
                baseline=input.baseline.to_domain("baseline"),
                during=input.during.to_domain("during"),
                promo_code_redemptions=input.promo_code_redemptions,
                period_start=input.period_start,
                period_end=input.period_end,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("RecordPayment"))
    async def record_payment(self, info: Info, input: ci.RecordPaymentInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.record_payment(
                ctx,
                cid,
                amount=input.amount.positive("amount"),
                paid_at=input.paid_at,
                reference=input.reference,
                **input.guards(),
            ),
        )

    # --- feedback -----------------------------------------------------------------------
    @strawberry.mutation(
        graphql_type=_result("SubmitFeedback"),
        description="Double-blind: hidden from the other side until both submit or it is "
        "revealed after the feedback window.",
    )
    async def submit_feedback(self, info: Info, input: ci.SubmitFeedbackInput) -> Any:
        return await _on_campaign(
            info,
            input,
            lambda app, ctx, cid: app.submit_feedback(
                ctx,
                cid,
                ratings=ci.ratings_of(input.ratings),
                would_work_again=input.would_work_again,
                comment=input.comment,
                **input.guards(),
            ),
        )

    @strawberry.mutation(graphql_type=_result("RevealFeedback"))
    async def reveal_feedback(self, info: Info, input: ci.RevealFeedbackInput) -> Any:
        return await _on_campaign(
            info, input, lambda app, ctx, cid: app.reveal_feedback(ctx, cid, **input.guards())
        )
