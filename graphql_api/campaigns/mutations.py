# mypy: disable-error-code="untyped-decorator"
"""Every campaign mutation: one ``input:`` argument, a result union.

Each input becomes one domain command, run by the ledger's pipeline through
:func:`~graphql_api.commands.run_command`; the domain decides who may act
(:mod:`domain.access`: an unknown campaign and one the caller is no party to
both read NOT_FOUND; auditors and admins, who read every campaign but act in
none, get FORBIDDEN). The payload's campaign is the view exactly at the version
the command produced, folded from the events it produced rather than read back.
"""

from __future__ import annotations

from typing import Any

import strawberry
from anyio import to_thread

from domain.application import CommandResult
from domain.audit import campaign_view_after
from graphql_api.campaigns import inputs as ci
from graphql_api.campaigns.campaign import Campaign, remember_view
from graphql_api.campaigns.giveaway_entries import GiveawayEntriesCount, entries_count
from graphql_api.commands import mutations
from graphql_api.ledger_context import Info


async def _changed(info: Info, result: CommandResult) -> Campaign:
    """The campaign exactly at the version the command produced."""
    ledger = info.context.ledger
    view = await to_thread.run_sync(lambda: campaign_view_after(ledger, result))
    remember_view(info, view)
    return Campaign.from_view(view)


async def _entries_count(
    info: Info, result: CommandResult, input: ci.RecordGiveawayEntriesInput
) -> dict[str, Any]:
    ledger = info.context.ledger
    count = await to_thread.run_sync(
        lambda: entries_count(ledger, result, input.giveaway_id, input.entries)
    )
    return {"giveaway_entries": count}


@strawberry.type
@mutations(
    Campaign,
    _changed,
    # --- pitch and agreement
    (
        ci.PitchCampaignInput,
        "A brand invites a creator, or a creator pitches a brand (or its open brief).",
    ),
    (ci.CounterOfferInput, "New terms from the party that did not make the latest offer."),
    (ci.AcceptPitchInput, None),
    (ci.DeclinePitchInput, None),
    (ci.WithdrawPitchInput, None),
    (ci.SignAgreementInput, "Sign the accepted terms' digest; the second signature concludes."),
    (ci.CancelCampaignInput, None),
    # --- posting
    (ci.SubmitDraftInput, None),
    (ci.RequestChangesInput, None),
    (ci.ApproveDraftInput, None),
    (ci.PublishPostInput, None),
    (ci.RecordPostMetricsInput, None),
    # --- giveaway
    (ci.AnnounceGiveawayInput, None),
    (
        ci.RecordGiveawayEntriesInput,
        "A batch of entrant handles; handles already entered are ignored and "
        "counted in giveawayEntries.alreadyIn.",
        _entries_count,
    ),
    (ci.CloseGiveawayInput, None),
    (
        ci.DrawGiveawayWinnersInput,
        "Reveal the committed seed; the winners follow from it and the entries.",
    ),
    (ci.ShipPrizeInput, None),
    (ci.ConfirmPrizeDeliveredInput, None),
    # --- follow-up
    (ci.ReportPerformanceInput, None),
    (ci.ReportSalesUpliftInput, None),
    (ci.RecordPaymentInput, None),
    # --- feedback
    (
        ci.SubmitFeedbackInput,
        "Double-blind: hidden from the other side until both submit or it is "
        "revealed after the feedback window.",
    ),
    (ci.RevealFeedbackInput, None),
    extra={
        "giveaway_entries": (
            GiveawayEntriesCount,
            "For recordGiveawayEntries: how many were new, how many in.",
        )
    },
)
class CampaignMutation:
    """Every campaign action, one mutation per input."""
