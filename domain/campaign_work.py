"""The campaign's work after the agreement: drafts, posts, metrics, giveaways,
follow-up reports and payments.

A mixin of :class:`domain.campaign.Campaign`, kept apart so each module stays
readable; the events it records are nested in ``Campaign``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain import giveaway_draw as draw
from domain import validation as v
from domain.catalog import Party
from domain.context import CommandContext
from domain.disclosure import disclosure_tags
from domain.errors import Conflict, ValidationError
from domain.money import Money

if TYPE_CHECKING:
    from domain.errors import InvalidTransition
    from domain.terms import Terms

CLOCK_SKEW_SECONDS = 300
ENTRIES_PER_BATCH = 10_000


def _not_future(ctx: CommandContext, moment: datetime, field: str) -> datetime:
    if (moment - ctx.now).total_seconds() > CLOCK_SKEW_SECONDS:
        raise ValidationError(f"{field} is in the future", field=field)
    return moment


class CampaignWork:
    if TYPE_CHECKING:
        terms: Terms
        drafts: dict[str, list[dict[str, Any]]]
        posts: dict[str, list[dict[str, Any]]]
        giveaways: dict[str, dict[str, Any]]
        concluded_at: datetime | None
        units_published: int
        paid: Money | None

        def _require(self, ctx: CommandContext, action: str) -> Party: ...
        def _invalid(self, action: str, party: Party, reason: str) -> InvalidTransition: ...
        def _record(self, ctx: CommandContext, event_class: type[Any], **payload: Any) -> None: ...
        def __getattr__(self, name: str) -> Any: ...  # the event classes nested in Campaign

    # --- drafts and posts ------------------------------------------------------
    def _deliverable(self, deliverable_id: object) -> str:
        if not isinstance(deliverable_id, str) or self.terms.deliverable(deliverable_id) is None:
            raise ValidationError(
                f"no deliverable {deliverable_id!r} in the terms", field="deliverable_id"
            )
        return deliverable_id

    def _units_left(self, deliverable_id: str) -> int:
        deliverable = self.terms.deliverable(deliverable_id)
        assert deliverable is not None
        return deliverable.quantity - len(self.posts.get(deliverable_id, []))

    def submit_draft(
        self,
        ctx: CommandContext,
        *,
        deliverable_id: object,
        caption: object,
        media_urls: object = (),
        pros: object,
        cons: object,
    ) -> None:
        """The creator's draft with their own honest pros and cons of the product."""
        party = self._require(ctx, "submitDraft")
        deliverable = self._deliverable(deliverable_id)
        if not self.terms.approval_required:
            raise self._invalid("submitDraft", party, "these terms need no draft approval")
        if self._units_left(deliverable) <= 0:
            raise self._invalid("submitDraft", party, f"{deliverable} is fully published")
        drafts = self.drafts.get(deliverable, [])
        if drafts and drafts[-1]["status"] in {"SUBMITTED", "APPROVED"}:
            raise self._invalid(
                "submitDraft", party, f"draft {drafts[-1]['draft_no']} is {drafts[-1]['status']}"
            )
        self._record(
            ctx,
            self.DraftSubmitted,
            deliverable_id=deliverable,
            draft_no=len(drafts) + 1,
            caption=v.text(caption, "caption", max_len=v.CAPTION_MAX),
            media_urls=tuple(v.url(u, "media_urls") for u in v.items(media_urls, "media_urls")),
            pros=v.texts(pros, "pros", min_items=1, max_items=20, max_len=500),
            cons=v.texts(cons, "cons", min_items=1, max_items=20, max_len=500),
        )

    def _pending_draft(self, action: str, party: Party, deliverable: str, draft_no: object) -> int:
        drafts = self.drafts.get(deliverable, [])
        if not drafts or drafts[-1]["status"] != "SUBMITTED":
            raise self._invalid(action, party, "no draft awaits review")
        if draft_no != drafts[-1]["draft_no"]:
            raise Conflict(
                f"draft {draft_no} is not the one awaiting review ({drafts[-1]['draft_no']})",
                field="draft_no",
            )
        return int(drafts[-1]["draft_no"])

    def request_changes(
        self,
        ctx: CommandContext,
        *,
        deliverable_id: object,
        draft_no: object,
        notes: object,
    ) -> None:
        party = self._require(ctx, "requestChanges")
        deliverable = self._deliverable(deliverable_id)
        number = self._pending_draft("requestChanges", party, deliverable, draft_no)
        self._record(
            ctx,
            self.ChangesRequested,
            deliverable_id=deliverable,
            draft_no=number,
            notes=v.text(notes, "notes", max_len=v.TEXT_MAX),
        )

    def approve_draft(
        self, ctx: CommandContext, *, deliverable_id: object, draft_no: object
    ) -> None:
        party = self._require(ctx, "approveDraft")
        deliverable = self._deliverable(deliverable_id)
        number = self._pending_draft("approveDraft", party, deliverable, draft_no)
        self._record(ctx, self.DraftApproved, deliverable_id=deliverable, draft_no=number)

    def publish_post(
        self,
        ctx: CommandContext,
        *,
        deliverable_id: object,
        url: object,
        published_at: object,
        caption: object,
        paid_partnership_flag: object = False,
    ) -> None:
        """Publishing needs an approved draft where the terms require approval;
        whether the post is disclosed is decided here, from the caption and the flag."""
        party = self._require(ctx, "publishPost")
        deliverable = self._deliverable(deliverable_id)
        if self._units_left(deliverable) <= 0:
            raise self._invalid("publishPost", party, f"{deliverable} is fully published")
        if self.terms.approval_required:
            drafts = self.drafts.get(deliverable, [])
            if not drafts or drafts[-1]["status"] != "APPROVED":
                raise self._invalid("publishPost", party, "publish only an approved draft")
        if not isinstance(paid_partnership_flag, bool):
            raise ValidationError(
                "paid_partnership_flag must be true or false", field="paid_partnership_flag"
            )
        when = _not_future(ctx, v.moment(published_at, "published_at"), "published_at")
        if self.concluded_at is not None and when < self.concluded_at:
            raise ValidationError("published_at is before the agreement", field="published_at")
        text = v.text(caption, "caption", max_len=v.CAPTION_MAX)
        tags = disclosure_tags(text)
        self._record(
            ctx,
            self.PostPublished,
            deliverable_id=deliverable,
            post_no=len(self.posts.get(deliverable, [])) + 1,
            url=v.url(url),
            published_at=when,
            caption=text,
            paid_partnership_flag=paid_partnership_flag,
            disclosed=paid_partnership_flag or bool(tags),
            disclosure_tags=tags,
        )

    def record_post_metrics(
        self,
        ctx: CommandContext,
        *,
        deliverable_id: object,
        post_no: object = 1,
        observed_at: object,
        followers: object,
        likes: object,
        comments: object,
        shares: object = 0,
        saves: object = 0,
        reach: object = None,
        impressions: object = None,
        views: object = None,
    ) -> None:
        """One snapshot of a post's counters; many per post make its time series."""
        self._require(ctx, "recordPostMetrics")
        deliverable = self._deliverable(deliverable_id)
        posts = self.posts.get(deliverable, [])
        post = next((p for p in posts if p["post_no"] == post_no), None)
        if post is None:
            raise ValidationError(
                f"post {post_no} of {deliverable} is not published", field="post_no"
            )
        when = _not_future(ctx, v.moment(observed_at, "observed_at"), "observed_at")
        if when < post["published_at"]:
            raise ValidationError(
                "observed_at is before the post was published", field="observed_at"
            )
        self._record(
            ctx,
            self.PostMetricsRecorded,
            deliverable_id=deliverable,
            post_no=post["post_no"],
            observed_at=when,
            followers=v.count(followers, "followers"),
            reach=v.count(reach, "reach", allow_none=True),
            impressions=v.count(impressions, "impressions", allow_none=True),
            views=v.count(views, "views", allow_none=True),
            likes=v.count(likes, "likes"),
            comments=v.count(comments, "comments"),
            shares=v.count(shares, "shares"),
            saves=v.count(saves, "saves"),
        )

    # --- giveaway --------------------------------------------------------------
    def _giveaway(self, giveaway_id: object) -> tuple[str, dict[str, Any]]:
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
        if not self.terms.giveaway_required:
            raise self._invalid("announceGiveaway", party, "the terms include no giveaway")
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
        """A batch of entrant handles; a handle may enter only once."""
        party = self._require(ctx, "recordGiveawayEntries")
        gid, giveaway = self._giveaway(giveaway_id)
        if giveaway["closed"] or ctx.now >= giveaway["closes_at"]:
            raise self._invalid("recordGiveawayEntries", party, f"giveaway {gid} is closed")
        batch = [v.handle(entry, "entries") for entry in v.items(entries, "entries")]
        if not batch:
            raise ValidationError("a batch needs at least one entry", field="entries")
        if len(batch) > ENTRIES_PER_BATCH:
            raise ValidationError(f"at most {ENTRIES_PER_BATCH} entries per batch", field="entries")
        seen = set(giveaway["entries"])
        duplicates = sorted({h for h in batch if h in seen} | _repeated(batch))
        if duplicates:
            raise ValidationError(
                f"duplicate giveaway entries: {', '.join(duplicates[:10])}", field="entries"
            )
        self._record(ctx, self.GiveawayEntriesRecorded, giveaway_id=gid, entries=tuple(batch))

    def close_giveaway(self, ctx: CommandContext, *, giveaway_id: object) -> None:
        party = self._require(ctx, "closeGiveaway")
        gid, giveaway = self._giveaway(giveaway_id)
        if giveaway["closed"]:
            raise self._invalid("closeGiveaway", party, f"giveaway {gid} is already closed")
        if ctx.now < giveaway["closes_at"]:
            raise self._invalid(
                "closeGiveaway", party, f"giveaway {gid} closes at {giveaway['closes_at']}"
            )
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
        if not giveaway["closed"]:
            raise self._invalid("drawGiveawayWinners", party, f"giveaway {gid} is still open")
        if giveaway["winners"] is not None:
            raise self._invalid("drawGiveawayWinners", party, f"giveaway {gid} is already drawn")
        if not giveaway["entries"]:
            raise self._invalid("drawGiveawayWinners", party, f"giveaway {gid} has no entries")
        revealed = draw.check_seed(seed)
        if draw.commitment_for(revealed) != giveaway["seed_commitment"]:
            raise ValidationError("the seed does not match the commitment", field="seed")
        winners = draw.draw_winners(revealed, giveaway["entries"], giveaway["winner_count"])
        self._record(
            ctx, self.GiveawayWinnersDrawn, giveaway_id=gid, seed=revealed, winners=winners
        )

    def _winner(self, giveaway: dict[str, Any], winner: object) -> str:
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
        if name in giveaway["shipped"]:
            raise self._invalid("shipPrize", party, f"the prize for {name} is already shipped")
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
        if name not in giveaway["shipped"]:
            raise self._invalid("confirmPrizeDelivered", party, f"no prize shipped to {name}")
        if name in giveaway["delivered"]:
            raise self._invalid(
                "confirmPrizeDelivered", party, f"the prize for {name} is already delivered"
            )
        self._record(ctx, self.PrizeDelivered, giveaway_id=gid, winner=name)

    # --- follow-up -------------------------------------------------------------
    def _require_a_post(self, action: str, party: Party) -> None:
        if self.units_published == 0:
            raise self._invalid(action, party, "nothing is published yet")

    def report_performance(
        self,
        ctx: CommandContext,
        *,
        period_start: object,
        period_end: object,
        reach: object,
        impressions: object,
        engagements: object,
        clicks: object = None,
        followers_gained: object = None,
        notes: object = None,
    ) -> None:
        party = self._require(ctx, "reportPerformance")
        self._require_a_post("reportPerformance", party)
        start, end = _period(period_start, period_end, ctx)
        gained = followers_gained
        if gained is not None and (isinstance(gained, bool) or not isinstance(gained, int)):
            raise ValidationError("followers_gained must be an integer", field="followers_gained")
        self._record(
            ctx,
            self.PerformanceReported,
            period_start=start,
            period_end=end,
            reach=v.count(reach, "reach"),
            impressions=v.count(impressions, "impressions"),
            engagements=v.count(engagements, "engagements"),
            clicks=v.count(clicks, "clicks", allow_none=True),
            followers_gained=gained,
            notes=v.optional_text(notes, "notes"),
        )

    def report_sales_uplift(
        self,
        ctx: CommandContext,
        *,
        baseline: Money,
        during: Money,
        promo_code_redemptions: object = 0,
        period_start: object = None,
        period_end: object = None,
    ) -> None:
        party = self._require(ctx, "reportSalesUplift")
        self._require_a_post("reportSalesUplift", party)
        baseline, during = v.money(baseline, "baseline"), v.money(during, "during")
        baseline.require_currency(during.currency, field="during.currency")
        start = end = None
        if period_start is not None or period_end is not None:
            start, end = _period(period_start, period_end, ctx)
        self._record(
            ctx,
            self.SalesUpliftReported,
            baseline=baseline,
            during=during,
            currency=baseline.currency,
            promo_code_redemptions=v.count(promo_code_redemptions, "promo_code_redemptions"),
            period_start=start,
            period_end=end,
        )

    def record_payment(
        self,
        ctx: CommandContext,
        *,
        amount: Money,
        paid_at: object,
        reference: object,
    ) -> None:
        """Records when the agreed cash was paid; more than agreed is refused."""
        party = self._require(ctx, "recordPayment")
        amount = v.money(amount, "amount")
        cash = self.terms.compensation.cash
        if cash is None:
            raise self._invalid("recordPayment", party, "the terms agree no cash payment")
        if amount.amount <= 0:
            raise ValidationError("amount must be positive", field="amount")
        cash.require_currency(amount.currency, field="amount.currency")
        already = self.paid.amount if self.paid else 0
        if already + amount.amount > cash.amount:
            raise ValidationError(
                f"payments would exceed the agreed {cash} (already paid {already})", field="amount"
            )
        when = _not_future(ctx, v.moment(paid_at, "paid_at"), "paid_at")
        self._record(
            ctx,
            self.PaymentRecorded,
            amount=amount,
            paid_at=when,
            reference=v.text(reference, "reference", max_len=200),
        )


def _repeated(batch: list[str]) -> set[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for handle in batch:
        (repeated if handle in seen else seen).add(handle)
    return repeated


def _period(start: object, end: object, ctx: CommandContext) -> tuple[date, date]:
    first = v.a_date(start, "period_start")
    last = v.a_date(end, "period_end")
    if last < first:
        raise ValidationError("period_end is before period_start", field="period_end")
    if first > ctx.now.date():
        raise ValidationError("period_start is in the future", field="period_start")
    return first, last
