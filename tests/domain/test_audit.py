"""Audit views from the event store: the full history with its metadata, the state as
of a version or a moment, and double-blind feedback in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    CancelCampaign,
    RevealFeedback,
    SignAgreement,
    SubmitFeedback,
)
from domain.audit import SEALED, campaign_as_of, campaign_history
from domain.catalog import CampaignState, Party
from domain.errors import NotFound, ValidationError
from domain.terms import Terms
from tests.domain.builders import (
    BRAND_RATINGS,
    CREATOR_RATINGS,
    campaign_at,
    pitch,
    register_parties,
    terms,
)
from tests.support import FakeClock


def test_history_records_type_version_time_actor_correlation_causation_and_payload(
    ledger: Ledger, clock: FakeClock
) -> None:
    parties = register_parties(ledger)
    pitched_at = clock()
    scenario = pitch(parties)
    ledger.execute(parties.creator("req-accept"), AcceptPitch(campaign_id=scenario.campaign_id))
    clock.advance(hours=2)
    digest = scenario.campaign().terms_digest
    ledger.execute(
        parties.brand("req-sign-1"),
        SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest),
    )
    ledger.execute(
        parties.creator("req-sign-2"),
        SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest),
    )

    history = campaign_history(ledger, scenario.campaign_id)

    assert [(e.type, e.version) for e in history] == [
        ("Pitched", 1),
        ("PitchAccepted", 2),
        ("AgreementSigned", 3),
        ("AgreementSigned", 4),
        ("AgreementConcluded", 5),
    ]
    assert {e.aggregate_type for e in history} == {"Campaign"}
    assert {e.aggregate_id for e in history} == {scenario.campaign_id}
    assert [e.timestamp for e in history] == [pitched_at] * 2 + [clock()] * 3
    assert [e.actor for e in history] == [
        f"brand:{parties.brand_id}",
        f"creator:{parties.creator_id}",
        f"brand:{parties.brand_id}",
        f"creator:{parties.creator_id}",
        f"creator:{parties.creator_id}",
    ]
    assert [e.correlation_id for e in history[1:]] == [
        "req-accept",
        "req-sign-1",
        "req-sign-2",
        "req-sign-2",
    ]
    assert [e.causation_id for e in history] == [None] * 4 + [f"{scenario.campaign_id}/4"]
    pitched = history[0].payload
    assert pitched["pitched_by"] == "BRAND"
    assert pitched["brand_id"] == str(parties.brand_id)
    assert pitched["terms"] == Terms.create(terms()).to_json()
    assert history[4].payload == {"terms_digest": digest}
    assert all(e.timestamp.utcoffset() == timedelta(0) for e in history)


def test_a_request_without_a_correlation_id_gets_a_fresh_one(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")

    history = campaign_history(ledger, scenario.campaign_id)

    correlations = [e.correlation_id for e in history]
    assert all(correlations)
    assert len(set(correlations)) == 2


def test_as_of_a_version_replays_the_earlier_state(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    cid = scenario.campaign_id

    assert campaign_as_of(ledger, cid, version=1).state is CampaignState.PITCHED
    assert campaign_as_of(ledger, cid, version=2).state is CampaignState.ACCEPTED
    assert campaign_as_of(ledger, cid, version=3).signed_by == ("BRAND",)
    both_signed = campaign_as_of(ledger, cid, version=4)
    assert (both_signed.signed_by, both_signed.state) == (
        ("BRAND", "CREATOR"),
        CampaignState.ACCEPTED,
    )
    assert campaign_as_of(ledger, cid, version=5).state is CampaignState.CONCLUDED
    with pytest.raises(ValidationError, match="past the campaign's latest version"):
        campaign_as_of(ledger, cid, version=99)
    assert campaign_as_of(ledger, cid).version == scenario.campaign().version


def test_as_of_a_moment_gives_the_state_of_the_last_event_before_it(
    ledger: Ledger, clock: FakeClock
) -> None:
    parties = register_parties(ledger)
    t_pitch = clock()
    scenario = pitch(parties)
    cid = scenario.campaign_id
    t_accept = clock.advance(days=1)
    ledger.execute(parties.creator(), AcceptPitch(campaign_id=cid))
    t_sign = clock.advance(days=1)
    scenario.sign_both()
    clock.advance(days=1)
    ledger.execute(parties.creator(), CancelCampaign(campaign_id=cid, reason="moved abroad"))

    def state_at(moment: object) -> CampaignState:
        return campaign_as_of(ledger, cid, at=moment).state  # type: ignore[arg-type]

    assert state_at(t_pitch) is CampaignState.PITCHED
    assert state_at(t_accept - timedelta(seconds=1)) is CampaignState.PITCHED
    assert state_at(t_accept) is CampaignState.ACCEPTED
    assert state_at(t_sign + timedelta(hours=23)) is CampaignState.CONCLUDED
    assert state_at(clock()) is CampaignState.CANCELLED
    assert campaign_as_of(ledger, cid, at=t_sign).version == 5

    with pytest.raises(NotFound):
        campaign_as_of(ledger, cid, at=t_pitch - timedelta(seconds=1))


def test_as_of_needs_a_version_or_an_aware_moment_not_both(
    ledger: Ledger, clock: FakeClock
) -> None:
    cid = campaign_at(ledger, "ACCEPTED").campaign_id

    with pytest.raises(ValidationError) as error:
        campaign_as_of(ledger, cid, version=1, at=clock())
    assert error.value.field == "version"
    with pytest.raises(ValidationError) as error:
        campaign_as_of(ledger, cid, version=0)
    assert error.value.field == "version"
    with pytest.raises(ValidationError) as error:
        campaign_as_of(ledger, cid, at=clock().replace(tzinfo=None))
    assert error.value.field == "at"
    with pytest.raises(NotFound):
        campaign_as_of(ledger, ledger.new_id(), version=1)
    with pytest.raises(NotFound):
        campaign_history(ledger, ledger.new_id())


def test_feedback_is_sealed_for_the_other_party_until_revealed(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    ledger.execute(
        scenario.brand(),
        SubmitFeedback(
            campaign_id=scenario.campaign_id,
            ratings=BRAND_RATINGS,
            would_work_again=False,
            comment="Late twice",
        ),
    )

    as_creator = campaign_history(ledger, scenario.campaign_id, viewer=Party.CREATOR)[-1]
    as_brand = campaign_history(ledger, scenario.campaign_id, viewer=Party.BRAND)[-1]
    as_auditor = campaign_history(ledger, scenario.campaign_id)[-1]

    assert as_creator.type == "FeedbackSubmitted"
    assert as_creator.payload == {
        "by": "BRAND",
        "ratings": SEALED,
        "would_work_again": SEALED,
        "comment": SEALED,
    }
    assert as_brand.payload["ratings"] == BRAND_RATINGS
    assert as_auditor.payload["ratings"] == BRAND_RATINGS
    assert (as_auditor.payload["would_work_again"], as_auditor.payload["comment"]) == (
        False,
        "Late twice",
    )


def test_revealed_feedback_is_visible_to_both_parties(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    scenario.submit_feedback("BRAND")
    scenario.submit_feedback("CREATOR")

    for viewer in (Party.BRAND, Party.CREATOR, None):
        submitted = [
            e
            for e in campaign_history(ledger, scenario.campaign_id, viewer=viewer)
            if e.type == "FeedbackSubmitted"
        ]
        assert [e.payload["ratings"] for e in submitted] == [BRAND_RATINGS, CREATOR_RATINGS]


def test_feedback_revealed_after_the_window_is_visible_too(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    scenario.submit_feedback("CREATOR")
    sealed = campaign_history(ledger, scenario.campaign_id, viewer=Party.BRAND)[-1]
    assert sealed.payload["ratings"] == SEALED
    clock.advance(days=15)

    ledger.execute(scenario.brand(), RevealFeedback(campaign_id=scenario.campaign_id))

    history = campaign_history(ledger, scenario.campaign_id, viewer=Party.BRAND)
    submitted = next(e for e in history if e.type == "FeedbackSubmitted")
    assert submitted.payload["ratings"] == CREATOR_RATINGS
    assert [e.type for e in history[-2:]] == ["FeedbackRevealed", "CampaignCompleted"]
