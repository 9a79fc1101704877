"""The campaign's work after the agreement: drafts with the creator's honest pros
and cons, their review, published posts with disclosure, and post metrics.

A part of :class:`~domain.campaign.Campaign`; the events it records are nested there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import validation as v
from domain.campaign_facts import CampaignFacts
from domain.catalog import Party
from domain.context import CommandContext
from domain.disclosure import disclosure_tags
from domain.errors import Conflict, ValidationError
from domain.next_actions import draft_blocker, pending_draft, publish_blocker

if TYPE_CHECKING:
    from domain.base import LedgerAggregate


class CampaignWork(CampaignFacts):
    if TYPE_CHECKING:
        DraftSubmitted: type[LedgerAggregate.Event]
        ChangesRequested: type[LedgerAggregate.Event]
        DraftApproved: type[LedgerAggregate.Event]
        PostPublished: type[LedgerAggregate.Event]
        PostMetricsRecorded: type[LedgerAggregate.Event]

    # --- drafts and posts ------------------------------------------------------
    def _deliverable(self, deliverable_id: object) -> str:
        if not isinstance(deliverable_id, str) or self.terms.deliverable(deliverable_id) is None:
            raise ValidationError(
                f"no deliverable {deliverable_id!r} in the terms", field="deliverable_id"
            )
        return deliverable_id

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
        self._refuse(ctx, "submitDraft", party, draft_blocker(self, deliverable))
        drafts = self.drafts.get(deliverable, [])
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

    def _pending_draft(
        self, ctx: CommandContext, action: str, party: Party, deliverable: str, draft_no: object
    ) -> int:
        pending = pending_draft(self, deliverable)
        if pending is None:
            raise self._invalid(ctx, action, party, "no draft awaits review")
        if draft_no != pending:
            raise Conflict(
                f"draft {draft_no} is not the one awaiting review ({pending})", field="draft_no"
            )
        return pending

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
        number = self._pending_draft(ctx, "requestChanges", party, deliverable, draft_no)
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
        number = self._pending_draft(ctx, "approveDraft", party, deliverable, draft_no)
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
        self._refuse(ctx, "publishPost", party, publish_blocker(self, deliverable))
        if not isinstance(paid_partnership_flag, bool):
            raise ValidationError(
                "paid_partnership_flag must be true or false", field="paid_partnership_flag"
            )
        when = v.not_future(v.moment(published_at, "published_at"), ctx.now, "published_at")
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
        when = v.not_future(v.moment(observed_at, "observed_at"), ctx.now, "observed_at")
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
