"""The campaign's giveaway: a seed committed at announcement, entries recorded in
batches, the close, the verifiable draw, and each winner's prize shipped and delivered.

A part of :class:`~domain.campaign.Campaign`; the events it records are nested there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import giveaway_draw as draw
from domain import validation as v
from domain.campaign_facts import CampaignFacts, GiveawayRecord
from domain.context import CommandContext
from domain.errors import Conflict, ValidationError
from domain.money import Money
from domain.next_actions import (
    announce_blocker,
    close_blocker,
    delivery_blocker,
    draw_blocker,
    entries_blocker,
    ship_blocker,
)

if TYPE_CHECKING:
    from domain.base import LedgerAggregate

ENTRIES_PER_BATCH = 10_000


class CampaignGiveaway(CampaignFacts):
    if TYPE_CHECKING:
        GiveawayAnnounced: type[LedgerAggregate.Event]
        GiveawayEntriesRecorded: type[LedgerAggregate.Event]
        GiveawayClosed: type[LedgerAggregate.Event]
        GiveawayWinnersDrawn: type[LedgerAggregate.Event]
        PrizeShipped: type[LedgerAggregate.Event]
        PrizeDelivered: type[LedgerAggregate.Event]

    # --- giveaway --------------------------------------------------------------
    def _giveaway(self, giveaway_id: object) -> tuple[str, GiveawayRecord]:
        if not isinstance(giveaway_id, str) or giveaway_id not in self.giveaways:
            raise ValidationError(f"no giveaway {giveaway_id!r}", field="giveaway_id")
        return giveaway_id, self.giveaways[giveaway_id]

    def announce_giveaway(
        self,
        ctx: CommandContext,
        *,
        giveaway_id: object,
        prize: object,
        prize_value: Money | None,
        winner_count: object,
        entry_rules: object,
        closes_at: object,
        seed_commitment: object,
    ) -> None:
        """Commits to the draw's seed (SHA-256) before any entry exists."""
        party = self._require(ctx, "announceGiveaway")
        self._refuse(ctx, "announceGiveaway", party, announce_blocker(self))
        gid = v.text(giveaway_id, "giveaway_id", max_len=40)
        if gid in self.giveaways:
            raise Conflict(f"giveaway {gid} already exists", field="giveaway_id")
        closes = v.moment(closes_at, "closes_at")
        if closes <= ctx.now:
            raise ValidationError("closes_at must be in the future", field="closes_at")
        if prize_value is not None:
            prize_value = v.money(prize_value, "prize_value")
        if prize_value is not None and prize_value.amount <= 0:
            raise ValidationError("prize_value must be positive", field="prize_value")
        self._record(
            ctx,
            self.GiveawayAnnounced,
            giveaway_id=gid,
            prize=v.text(prize, "prize", max_len=500),
            prize_value=prize_value,
            winner_count=v.positive_int(winner_count, "winner_count", maximum=1_000),
            entry_rules=v.texts(entry_rules, "entry_rules", min_items=1, max_items=20, max_len=500),
            closes_at=closes,
            seed_commitment=draw.check_commitment(seed_commitment),
        )

    def record_giveaway_entries(
        self, ctx: CommandContext, *, giveaway_id: object, entries: object
    ) -> None:
        """A batch of entrant handles. Overlapping exports are the normal case: a handle
        already entered (or repeated within the batch) is ignored and counted as
        ``already_in``; a batch with nothing new records nothing (docs/workflow.md)."""
        party = self._require(ctx, "recordGiveawayEntries")
        gid, giveaway = self._giveaway(giveaway_id)
        self._refuse(ctx, "recordGiveawayEntries", party, entries_blocker(gid, giveaway, ctx.now))
        batch = entry_batch(entries)
        new = new_entries(giveaway["entries"], batch)
        if new:
            self._record(
                ctx,
                self.GiveawayEntriesRecorded,
                giveaway_id=gid,
                entries=new,
                already_in=len(batch) - len(new),
            )

    def close_giveaway(self, ctx: CommandContext, *, giveaway_id: object) -> None:
        party = self._require(ctx, "closeGiveaway")
        gid, giveaway = self._giveaway(giveaway_id)
        self._refuse(ctx, "closeGiveaway", party, close_blocker(gid, giveaway, ctx.now))
        self._record(
            ctx,
            self.GiveawayClosed,
            giveaway_id=gid,
            entry_count=len(giveaway["entries"]),
            entries_digest=draw.entries_digest(giveaway["entries"]),
        )

    def draw_giveaway_winners(
        self, ctx: CommandContext, *, giveaway_id: object, seed: object
    ) -> None:
        """Reveals the committed seed; the winners follow from it and the entries."""
        party = self._require(ctx, "drawGiveawayWinners")
        gid, giveaway = self._giveaway(giveaway_id)
        self._refuse(ctx, "drawGiveawayWinners", party, draw_blocker(gid, giveaway))
        revealed = draw.check_seed(seed)
        if draw.commitment_for(revealed) != giveaway["seed_commitment"]:
            raise ValidationError("the seed does not match the commitment", field="seed")
        winners = draw.draw_winners(revealed, giveaway["entries"], giveaway["winner_count"])
        self._record(
            ctx, self.GiveawayWinnersDrawn, giveaway_id=gid, seed=revealed, winners=winners
        )

    def _winner(self, giveaway: GiveawayRecord, winner: object) -> str:
        name = v.handle(winner, "winner")
        if not giveaway["winners"] or name not in giveaway["winners"]:
            raise ValidationError(f"{name} is not a winner of this giveaway", field="winner")
        return name

    def ship_prize(
        self,
        ctx: CommandContext,
        *,
        giveaway_id: object,
        winner: object,
        carrier: object,
        tracking_ref: object,
    ) -> None:
        party = self._require(ctx, "shipPrize")
        gid, giveaway = self._giveaway(giveaway_id)
        name = self._winner(giveaway, winner)
        self._refuse(ctx, "shipPrize", party, ship_blocker(giveaway, name))
        self._record(
            ctx,
            self.PrizeShipped,
            giveaway_id=gid,
            winner=name,
            carrier=v.text(carrier, "carrier", max_len=100),
            tracking_ref=v.text(tracking_ref, "tracking_ref", max_len=100),
        )

    def confirm_prize_delivered(
        self, ctx: CommandContext, *, giveaway_id: object, winner: object
    ) -> None:
        party = self._require(ctx, "confirmPrizeDelivered")
        gid, giveaway = self._giveaway(giveaway_id)
        name = self._winner(giveaway, winner)
        self._refuse(ctx, "confirmPrizeDelivered", party, delivery_blocker(giveaway, name))
        self._record(ctx, self.PrizeDelivered, giveaway_id=gid, winner=name)


def entry_batch(entries: object) -> list[str]:
    """The batch's handles, normalised (``@Citra`` is ``citra``), in the order given."""
    batch = [v.handle(entry, "entries") for entry in v.items(entries, "entries")]
    if not batch:
        raise ValidationError("a batch needs at least one entry", field="entries")
    if len(batch) > ENTRIES_PER_BATCH:
        raise ValidationError(f"at most {ENTRIES_PER_BATCH} entries per batch", field="entries")
    return batch


def new_entries(entered: list[str], batch: list[str]) -> tuple[str, ...]:
    """The handles of ``batch`` not yet entered, each once, in the order given."""
    seen = set(entered)
    fresh = []
    for handle in batch:
        if handle not in seen:
            seen.add(handle)
            fresh.append(handle)
    return tuple(fresh)
