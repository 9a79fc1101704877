"""Agreement stage: both parties sign the exact accepted terms; the second signature
concludes; afterwards the terms are locked and either party may only cancel."""

from __future__ import annotations

import pytest

from domain.application import Ledger
from domain.application.commands import (
    CancelCampaign,
    CounterOffer,
    PublishPost,
    ReportPerformance,
    RevealFeedback,
    SignAgreement,
    SubmitDraft,
    SubmitFeedback,
)
from domain.catalog import CampaignState, Party
from domain.errors import InvalidTransition, ValidationError
from domain.terms import Terms
from tests.domain.builders import DUE_ON, campaign_at, records_nothing, terms
from tests.support import FakeClock


@pytest.mark.parametrize("first", ["BRAND", "CREATOR"])
def test_second_signature_concludes_agreement(ledger: Ledger, first: str) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")
    cid, digest = scenario.campaign_id, scenario.campaign().terms_digest
    sides = {"BRAND": scenario.brand, "CREATOR": scenario.creator}
    second = "CREATOR" if first == "BRAND" else "BRAND"

    ledger.execute(sides[first](), SignAgreement(campaign_id=cid, terms_digest=digest))
    assert scenario.campaign().state is CampaignState.ACCEPTED
    ledger.execute(sides[second]("req-second"), SignAgreement(campaign_id=cid, terms_digest=digest))

    *_, first_signed, second_signed, concluded = scenario.events()
    assert [first_signed.by, second_signed.by] == [first, second]
    assert type(concluded).__name__ == "AgreementConcluded"
    assert concluded.terms_digest == digest == Terms.create(terms()).digest
    assert concluded.causation_id == second_signed.event_id
    assert concluded.correlation_id == second_signed.correlation_id == "req-second"
    assert first_signed.causation_id is None
    campaign = scenario.campaign()
    assert campaign.state is CampaignState.CONCLUDED
    assert campaign.concluded_at == ledger.clock()


def test_signing_with_a_digest_other_than_the_accepted_terms_is_refused(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")
    other_digest = Terms.create(terms(cash="1")).digest

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            scenario.brand(),
            SignAgreement(campaign_id=scenario.campaign_id, terms_digest=other_digest),
        )
    assert error.value.field == "terms_digest"


def test_each_party_signs_only_once(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")
    digest = scenario.campaign().terms_digest
    ledger.execute(
        scenario.brand(), SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest)
    )

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.brand(), SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest)
        )
    assert error.value.state == "ACCEPTED"
    assert error.value.allowed == ("cancelCampaign",)


def test_nothing_is_signed_before_acceptance(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    digest = Terms.create(terms()).digest

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(), SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest)
        )
    assert error.value.state == "PITCHED"


def test_signing_after_a_due_date_has_passed_is_refused(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")
    digest = scenario.campaign().terms_digest
    clock.now = clock.now.replace(year=DUE_ON.year, month=DUE_ON.month, day=DUE_ON.day)
    clock.advance(days=1)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            scenario.brand(), SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest)
        )
    assert error.value.field == "terms.deliverables[0].due_on"


def test_terms_are_locked_once_concluded(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    before = scenario.campaign()

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(),
            CounterOffer(
                campaign_id=scenario.campaign_id, terms=terms(cash="900000"), message="more"
            ),
        )
    assert error.value.state == "CONCLUDED"
    after = scenario.campaign()
    assert after.terms == before.terms
    assert after.terms_digest == before.terms_digest == after.terms.digest


@pytest.mark.parametrize("side", ["BRAND", "CREATOR"])
def test_either_party_may_cancel_after_conclusion_with_a_reason(ledger: Ledger, side: str) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    ctx = scenario.brand() if side == "BRAND" else scenario.creator()

    ledger.execute(ctx, CancelCampaign(campaign_id=scenario.campaign_id, reason="Product recall"))

    cancelled = scenario.last_event()
    assert type(cancelled).__name__ == "CampaignCancelled"
    assert (cancelled.by, cancelled.reason) == (side, "Product recall")
    campaign = scenario.campaign()
    assert campaign.state is CampaignState.CANCELLED
    assert campaign.cancelled_by is Party(side)


def test_a_delivered_campaign_may_still_be_cancelled(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    ledger.execute(
        scenario.creator(),
        CancelCampaign(campaign_id=scenario.campaign_id, reason="Brand never paid"),
    )

    assert scenario.campaign().state is CampaignState.CANCELLED


def test_cancelling_needs_a_reason(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger):
        for reason in ("", "   ", None, "x" * 5_001):
            with pytest.raises(ValidationError) as error:
                ledger.execute(
                    scenario.brand(),
                    CancelCampaign(campaign_id=scenario.campaign_id, reason=reason),
                )
            assert error.value.field == "reason"


@pytest.mark.parametrize("stage", ["PITCHED", "COMPLETED", "CANCELLED"])
def test_cancelling_does_not_fit_before_agreement_or_after_the_end(
    ledger: Ledger, stage: str
) -> None:
    scenario = campaign_at(ledger, stage)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.brand(),
            CancelCampaign(campaign_id=scenario.campaign_id, reason="changed our mind"),
        )
    assert error.value.state == stage


def test_after_cancellation_nothing_else_fits(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "CANCELLED")
    cid, brand, creator = scenario.campaign_id, scenario.brand(), scenario.creator()
    attempts = [
        lambda: ledger.execute(
            creator,
            SubmitDraft(campaign_id=cid, deliverable_id="d1", caption="x", pros=["a"], cons=["b"]),
        ),
        lambda: ledger.execute(
            creator,
            PublishPost(
                campaign_id=cid,
                deliverable_id="d1",
                url="https://x.example/1",
                published_at=clock(),
                caption="#ad",
            ),
        ),
        lambda: ledger.execute(
            brand, SignAgreement(campaign_id=cid, terms_digest=scenario.campaign().terms_digest)
        ),
        lambda: ledger.execute(creator, CancelCampaign(campaign_id=cid, reason="again")),
        lambda: ledger.execute(
            brand, SubmitFeedback(campaign_id=cid, ratings={}, would_work_again=True)
        ),
        lambda: ledger.execute(
            creator,
            ReportPerformance(
                campaign_id=cid,
                period_start=clock().date(),
                period_end=clock().date(),
                reach=1,
                impressions=1,
                engagements=1,
            ),
        ),
        lambda: ledger.execute(brand, RevealFeedback(campaign_id=cid)),
    ]

    with records_nothing(ledger):
        for attempt in attempts:
            with pytest.raises(InvalidTransition) as error:
                attempt()
            assert error.value.state == "CANCELLED"
            assert error.value.allowed == ()
            assert "CANCELLED" in str(error.value)
    assert scenario.campaign().allowed_actions(ledger.clock()) == []


def test_cancellation_before_signing_is_possible_once_accepted(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")
    clock.advance(days=1)

    ledger.execute(
        scenario.creator(),
        CancelCampaign(campaign_id=scenario.campaign_id, reason="no reply from brand"),
    )

    assert scenario.campaign().cancelled_by is Party.CREATOR
    assert scenario.last_event().timestamp == clock()
