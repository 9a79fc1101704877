"""Campaigns: the pitch that starts one, and every later action, dispatched through
one table from command to the :class:`~domain.campaign.Campaign` method that decides it.

Who may take which action in which state is the campaign's own rule table
(:mod:`domain.campaign_rules`); the pipeline has already made sure the caller
is a party of the campaign.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from domain.access import Owners
from domain.application import commands as c
from domain.application.pipeline import Handler, changes_target
from domain.base import LedgerAggregate
from domain.campaign import Campaign
from domain.context import CommandContext
from domain.errors import ValidationError

if TYPE_CHECKING:
    from domain.application.ledger import Ledger


def _pitch(
    ledger: Ledger, ctx: CommandContext, command: c.PitchCampaign, _: None
) -> list[LedgerAggregate]:
    ledger.get_brand(command.brand_id)
    ledger.get_creator(command.creator_id)
    if command.brief_id is not None:
        brief = ledger.get_brief(command.brief_id)
        if brief.brand_id != command.brand_id:
            raise ValidationError("the brief belongs to another brand", field="brief_id")
        if not brief.is_open(ctx.now.date()):
            raise ValidationError("the brief is closed", field="brief_id")
    return [Campaign.pitch(ctx, ledger.new_id(), **command.arguments())]


def _pitch_owners(command: c.PitchCampaign) -> Owners:
    """A pitch is made by a party of the campaign it starts."""
    return Owners(command.brand_id, command.creator_id, kind=None)


CAMPAIGN_METHODS: dict[type[c.CampaignCommand], Callable[..., None]] = {
    c.CounterOffer: Campaign.counter_offer,
    c.AcceptPitch: Campaign.accept_pitch,
    c.DeclinePitch: Campaign.decline_pitch,
    c.WithdrawPitch: Campaign.withdraw_pitch,
    c.SignAgreement: Campaign.sign_agreement,
    c.CancelCampaign: Campaign.cancel,
    c.SubmitDraft: Campaign.submit_draft,
    c.RequestChanges: Campaign.request_changes,
    c.ApproveDraft: Campaign.approve_draft,
    c.PublishPost: Campaign.publish_post,
    c.RecordPostMetrics: Campaign.record_post_metrics,
    c.AnnounceGiveaway: Campaign.announce_giveaway,
    c.RecordGiveawayEntries: Campaign.record_giveaway_entries,
    c.CloseGiveaway: Campaign.close_giveaway,
    c.DrawGiveawayWinners: Campaign.draw_giveaway_winners,
    c.ShipPrize: Campaign.ship_prize,
    c.ConfirmPrizeDelivered: Campaign.confirm_prize_delivered,
    c.ReportPerformance: Campaign.report_performance,
    c.ReportSalesUplift: Campaign.report_sales_uplift,
    c.RecordPayment: Campaign.record_payment,
    c.SubmitFeedback: Campaign.submit_feedback,
    c.RevealFeedback: Campaign.reveal_feedback,
}
"""Every action on an existing campaign, and the aggregate method that decides it."""

HANDLERS: dict[type[c.Command], Handler] = {
    c.PitchCampaign: Handler(_pitch, owners=_pitch_owners),
    **{command: changes_target(method) for command, method in CAMPAIGN_METHODS.items()},
}
