"""The campaign's pitch and agreement: offers and counter-offers in turn, acceptance,
both signatures on the exact accepted terms, and cancellation.

A part of :class:`~domain.campaign.Campaign`; the events it records are nested there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain import validation as v
from domain.access import party_of
from domain.campaign_facts import CampaignFacts
from domain.context import CommandContext
from domain.errors import Forbidden, ValidationError
from domain.terms import Terms

if TYPE_CHECKING:
    from typing import Self

    from domain.base import LedgerAggregate


class CampaignAgreement(CampaignFacts):
    if TYPE_CHECKING:
        Pitched: type[LedgerAggregate.Created]
        CounterOffered: type[LedgerAggregate.Event]
        PitchAccepted: type[LedgerAggregate.Event]
        PitchDeclined: type[LedgerAggregate.Event]
        PitchWithdrawn: type[LedgerAggregate.Event]
        AgreementSigned: type[LedgerAggregate.Event]
        AgreementConcluded: type[LedgerAggregate.Event]
        CampaignCancelled: type[LedgerAggregate.Event]

        @classmethod
        def _start(
            cls, ctx: CommandContext, event_class: type[Any], aggregate_id: UUID, **payload: Any
        ) -> Self: ...

        def _last_event_id(self) -> str: ...

    # --- pitch -----------------------------------------------------------------
    @classmethod
    def pitch(
        cls,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        brand_id: UUID,
        creator_id: UUID,
        brief_id: UUID | None,
        message: object,
        terms: Terms | Mapping[str, Any],
    ) -> Self:
        pitched_by = party_of(ctx.actor, brand_id, creator_id)
        if pitched_by is None:
            raise Forbidden("only the brand or the creator of a campaign may pitch it")
        terms = _terms(terms)
        _check_due_dates(terms, ctx.now.date(), "terms")
        return cls._start(
            ctx,
            cls.Pitched,
            campaign_id,
            brand_id=brand_id,
            creator_id=creator_id,
            brief_id=brief_id,
            pitched_by=pitched_by.value,
            message=v.text(message, "message", max_len=v.TEXT_MAX),
            terms=terms,
        )

    def counter_offer(
        self, ctx: CommandContext, *, terms: Terms | Mapping[str, Any], message: object
    ) -> None:
        party = self._require(ctx, "counterOffer")
        terms = _terms(terms)
        _check_due_dates(terms, ctx.now.date(), "terms")
        if terms == self.terms:
            raise ValidationError("a counter-offer must change the terms", field="terms")
        self._record(
            ctx,
            self.CounterOffered,
            by=party.value,
            terms=terms,
            message=v.text(message, "message", max_len=v.TEXT_MAX),
        )

    def accept_pitch(self, ctx: CommandContext) -> None:
        party = self._require(ctx, "acceptPitch")
        self._record(ctx, self.PitchAccepted, by=party.value, terms_digest=self.terms.digest)

    def decline_pitch(self, ctx: CommandContext, *, reason: object = None) -> None:
        party = self._require(ctx, "declinePitch")
        self._record(
            ctx,
            self.PitchDeclined,
            by=party.value,
            reason=v.optional_text(reason, "reason", max_len=v.TEXT_MAX),
        )

    def withdraw_pitch(self, ctx: CommandContext) -> None:
        party = self._require(ctx, "withdrawPitch")
        self._record(ctx, self.PitchWithdrawn, by=party.value)

    # --- agreement -------------------------------------------------------------
    def sign_agreement(self, ctx: CommandContext, *, terms_digest: object) -> None:
        """Signing the exact accepted terms; the second signature concludes the agreement."""
        party = self._require(ctx, "signAgreement")
        if terms_digest != self.terms_digest:
            raise ValidationError(
                "the digest does not match the accepted terms", field="terms_digest"
            )
        _check_due_dates(self.terms, ctx.now.date(), "terms")
        self._record(ctx, self.AgreementSigned, by=party.value, terms_digest=self.terms_digest)
        if len(self.signed_by) == 2:
            self._record(
                ctx.caused_by(self._last_event_id()),
                self.AgreementConcluded,
                terms_digest=self.terms_digest,
            )

    def cancel(self, ctx: CommandContext, *, reason: object) -> None:
        party = self._require(ctx, "cancelCampaign")
        self._record(
            ctx,
            self.CampaignCancelled,
            by=party.value,
            reason=v.text(reason, "reason", max_len=v.TEXT_MAX),
        )


def _terms(terms: Terms | Mapping[str, Any]) -> Terms:
    return terms if isinstance(terms, Terms) else Terms.create(terms)


def _check_due_dates(terms: Terms, today: date, field: str) -> None:
    for index, deliverable in enumerate(terms.deliverables):
        if deliverable.due_on < today:
            raise ValidationError(
                f"deliverable {deliverable.deliverable_id} is due in the past",
                field=f"{field}.deliverables[{index}].due_on",
            )
