"""Pitch stage: who may pitch, counter-offers taking turns, accept, decline, withdraw."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    CloseBrief,
    CounterOffer,
    DeclinePitch,
    PitchCampaign,
    PublishBrief,
    WithdrawPitch,
)
from domain.catalog import CampaignState, Party
from domain.context import Actor
from domain.errors import Forbidden, InvalidTransition, NotFound, ValidationError
from domain.terms import Terms
from tests.domain.builders import (
    DUE_ON,
    Parties,
    campaign_at,
    deliverable,
    pitch,
    records_nothing,
    register_brand,
    register_parties,
    terms,
)
from tests.support import FakeClock

RAISED = terms(cash="750000")


def publish_brief(ledger: Ledger, parties: Parties, *, ends_on: date | None = None) -> object:
    return ledger.execute(
        parties.brand(),
        PublishBrief(
            brand_id=parties.brand_id,
            title="Ramadan glow",
            objective="Awareness among young professionals",
            key_messages=["halal certified"],
            niches=["beauty"],
            platforms=["INSTAGRAM"],
            starts_on=ledger.clock().date(),
            ends_on=ends_on or ledger.clock().date() + timedelta(days=30),
        ),
    ).aggregate_id


def test_brand_pitch_opens_a_campaign_with_its_terms(ledger: Ledger) -> None:
    parties = register_parties(ledger)

    scenario = pitch(parties, by="BRAND")

    campaign = scenario.campaign()
    assert campaign.state is CampaignState.PITCHED
    assert (campaign.brand_id, campaign.creator_id) == (parties.brand_id, parties.creator_id)
    assert campaign.terms == Terms.create(terms())
    (pitched,) = scenario.events()
    assert type(pitched).__name__ == "Pitched"
    assert pitched.pitched_by == "BRAND"
    assert pitched.actor == f"brand:{parties.brand_id}"
    assert pitched.brief_id is None
    assert pitched.message == "Would you like to try our serum?"


def test_creator_pitch_is_recorded_as_pitched_by_the_creator(ledger: Ledger) -> None:
    scenario = pitch(register_parties(ledger), by="CREATOR")

    (pitched,) = scenario.events()
    assert pitched.pitched_by == "CREATOR"
    assert pitched.actor == f"creator:{scenario.parties.creator_id}"
    assert scenario.campaign().offered_by is Party.CREATOR


def test_creator_may_pitch_an_open_brief(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    brief_id = publish_brief(ledger, parties)

    scenario = pitch(parties, by="CREATOR", brief_id=brief_id)

    assert scenario.campaign().brief_id == brief_id
    assert scenario.events()[0].brief_id == brief_id


def test_creator_may_not_pitch_a_closed_brief(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    brief_id = publish_brief(ledger, parties)
    ledger.execute(parties.brand(), CloseBrief(brief_id=brief_id, reason="enough creators"))

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        pitch(parties, by="CREATOR", brief_id=brief_id)
    assert error.value.field == "brief_id"


def test_creator_may_not_pitch_a_brief_after_its_end_date(ledger: Ledger, clock: FakeClock) -> None:
    parties = register_parties(ledger)
    brief_id = publish_brief(ledger, parties, ends_on=clock().date() + timedelta(days=2))
    clock.advance(days=3)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        pitch(parties, by="CREATOR", brief_id=brief_id)
    assert error.value.field == "brief_id"


def test_creator_may_not_pitch_the_brief_of_another_brand(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    other = Parties(ledger, register_brand(ledger, "Other"), parties.creator_id)
    foreign_brief = publish_brief(ledger, other)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        pitch(parties, by="CREATOR", brief_id=foreign_brief)
    assert error.value.field == "brief_id"


def test_pitching_an_unknown_brief_brand_or_creator_is_not_found(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    unknown = ledger.new_id()

    with records_nothing(ledger):
        with pytest.raises(NotFound):
            pitch(parties, brief_id=unknown)
        with pytest.raises(NotFound):
            pitch(Parties(ledger, parties.brand_id, unknown))
        with pytest.raises(NotFound):
            pitch(Parties(ledger, unknown, parties.creator_id), by="CREATOR")


def test_nobody_pitches_on_behalf_of_another_party(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    outsider_brand = register_brand(ledger, "Outsider")
    command = PitchCampaign(
        brand_id=parties.brand_id, creator_id=parties.creator_id, terms=terms(), message="hello"
    )
    # Another brand or creator finds the named party unknown; admins and auditors,
    # who may never pitch, are told so.
    impostors = {
        Actor.brand(outsider_brand): NotFound,
        Actor.creator(ledger.new_id()): NotFound,
        Actor.admin(): Forbidden,
        Actor.auditor(): Forbidden,
    }

    with records_nothing(ledger):
        for actor, refusal in impostors.items():
            with pytest.raises(refusal):
                ledger.execute(ledger.context(actor), command)


def test_pitch_with_a_due_date_in_the_past_is_refused(ledger: Ledger, clock: FakeClock) -> None:
    parties = register_parties(ledger)
    past = terms(deliverables=[deliverable(due_on=clock().date() - timedelta(days=1))])

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        pitch(parties, campaign_terms=past)
    assert error.value.field == "terms.deliverables[0].due_on"


def test_counter_offers_alternate_between_the_parties(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    cid = scenario.campaign_id
    brand_again = terms(cash="650000")

    ledger.execute(
        scenario.creator(), CounterOffer(campaign_id=cid, terms=RAISED, message="My rate is higher")
    )
    ledger.execute(
        scenario.brand(), CounterOffer(campaign_id=cid, terms=brand_again, message="Meet halfway?")
    )
    ledger.execute(scenario.creator(), AcceptPitch(campaign_id=cid))

    assert scenario.event_types() == [
        "Pitched",
        "CounterOffered",
        "CounterOffered",
        "PitchAccepted",
    ]
    counters = scenario.events()[1:3]
    assert [c.by for c in counters] == ["CREATOR", "BRAND"]
    assert scenario.last_event().by == "CREATOR"
    campaign = scenario.campaign()
    assert campaign.state is CampaignState.ACCEPTED
    assert campaign.offers == 3
    assert campaign.terms == Terms.create(brand_again)


def test_accepting_records_the_digest_of_the_accepted_terms(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")

    ledger.execute(
        scenario.creator(),
        CounterOffer(campaign_id=scenario.campaign_id, terms=RAISED, message="higher"),
    )
    ledger.execute(scenario.brand(), AcceptPitch(campaign_id=scenario.campaign_id))

    accepted = scenario.last_event()
    assert accepted.by == "BRAND"
    assert accepted.terms_digest == Terms.create(RAISED).digest
    assert scenario.campaign().terms_digest == Terms.create(RAISED).digest


@pytest.mark.parametrize("action", ["counterOffer", "acceptPitch", "declinePitch"])
def test_the_party_that_made_the_latest_offer_may_not_answer_it(
    ledger: Ledger, action: str
) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    cid, brand = scenario.campaign_id, scenario.brand()
    answers = {
        "counterOffer": lambda: ledger.execute(
            brand, CounterOffer(campaign_id=cid, terms=RAISED, message="more")
        ),
        "acceptPitch": lambda: ledger.execute(brand, AcceptPitch(campaign_id=cid)),
        "declinePitch": lambda: ledger.execute(brand, DeclinePitch(campaign_id=cid, reason="no")),
    }

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        answers[action]()
    assert error.value.state == "PITCHED"
    assert error.value.allowed == ("withdrawPitch",)
    assert "PITCHED" in str(error.value)
    assert "withdrawPitch" in str(error.value)


def test_after_a_counter_offer_the_turn_passes_back(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    cid = scenario.campaign_id
    ledger.execute(
        scenario.creator(), CounterOffer(campaign_id=cid, terms=RAISED, message="higher")
    )

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(scenario.creator(), AcceptPitch(campaign_id=cid))
    assert error.value.allowed == ("withdrawPitch",)
    assert set(scenario.campaign().allowed_actions(ledger.clock(), Party.BRAND)) == {
        "counterOffer",
        "acceptPitch",
        "declinePitch",
    }


def test_a_counter_offer_must_change_the_terms(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            scenario.creator(),
            CounterOffer(campaign_id=scenario.campaign_id, terms=terms(), message="same"),
        )
    assert error.value.field == "terms"


def test_a_counter_offer_with_a_past_due_date_is_refused(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    past = terms(deliverables=[deliverable(due_on=clock().date() - timedelta(days=1))])

    with records_nothing(ledger), pytest.raises(ValidationError):
        ledger.execute(
            scenario.creator(),
            CounterOffer(campaign_id=scenario.campaign_id, terms=past, message="x"),
        )


def test_the_other_party_may_decline_with_a_reason(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")

    ledger.execute(
        scenario.creator(), DeclinePitch(campaign_id=scenario.campaign_id, reason="Not my niche")
    )

    declined = scenario.last_event()
    assert type(declined).__name__ == "PitchDeclined"
    assert (declined.by, declined.reason) == ("CREATOR", "Not my niche")
    assert scenario.campaign().state is CampaignState.DECLINED


def test_the_offerer_may_withdraw(ledger: Ledger) -> None:
    scenario = pitch(register_parties(ledger), by="CREATOR")

    ledger.execute(scenario.creator(), WithdrawPitch(campaign_id=scenario.campaign_id))

    assert scenario.last_event().by == "CREATOR"
    assert scenario.campaign().state is CampaignState.WITHDRAWN


def test_only_the_offerer_may_withdraw(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(scenario.creator(), WithdrawPitch(campaign_id=scenario.campaign_id))
    assert set(error.value.allowed) == {"counterOffer", "acceptPitch", "declinePitch"}


@pytest.mark.parametrize("stage", ["DECLINED", "WITHDRAWN"])
def test_a_closed_pitch_accepts_no_answer(ledger: Ledger, stage: str) -> None:
    scenario = campaign_at(ledger, stage)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id))
    assert error.value.state == stage
    assert error.value.allowed == ()
    assert "allowed now: none" in str(error.value)


def test_a_due_date_today_is_not_in_the_past(ledger: Ledger, clock: FakeClock) -> None:
    today = terms(deliverables=[deliverable(due_on=clock().date())])

    scenario = pitch(register_parties(ledger), campaign_terms=today)

    assert scenario.campaign().terms.deliverables[0].due_on == clock().date()
    assert clock().date() < DUE_ON
