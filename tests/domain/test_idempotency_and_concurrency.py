"""Idempotency keys (same input → the original result, nothing new; different input →
conflict; per actor; across restarts), expected versions, and racing writers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from domain.application import CommandResult, Ledger
from domain.application.commands import (
    AcceptPitch,
    CancelCampaign,
    CounterOffer,
    DeclinePitch,
    PitchCampaign,
    RegisterCreator,
    SignAgreement,
)
from domain.context import Actor
from domain.errors import Conflict, InvalidTransition, LedgerError
from domain.infrastructure.settings import Settings
from tests.domain.builders import Scenario, campaign_at, pitch, records_nothing, register_parties
from tests.domain.builders import terms as make_terms
from tests.support import FakeClock

RACE_ROUNDS = 4


@pytest.fixture
def second_ledger(settings: Settings, clock: FakeClock) -> Iterator[Ledger]:
    """Another application instance on the same store, as another API process would be."""
    ledger = Ledger(settings, clock=clock)
    yield ledger
    ledger.close()


def race(*commands: Callable[[], CommandResult]) -> list[CommandResult | LedgerError]:
    """Runs the commands at once on their own threads; each outcome, in order."""
    barrier = threading.Barrier(len(commands))
    outcomes: list[CommandResult | LedgerError | None] = [None] * len(commands)

    def run(index: int, command: Callable[[], CommandResult]) -> None:
        barrier.wait()
        try:
            outcomes[index] = command()
        except LedgerError as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(commands)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(outcome is not None for outcome in outcomes)
    return [outcome for outcome in outcomes if outcome is not None]


def successes(outcomes: list[Any]) -> list[CommandResult]:
    return [outcome for outcome in outcomes if isinstance(outcome, CommandResult)]


def test_same_key_and_input_returns_the_original_result_and_records_nothing(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    request: dict[str, Any] = {
        "brand_id": parties.brand_id,
        "creator_id": parties.creator_id,
        "terms": make_terms(),
        "message": "Hi!",
    }
    first = ledger.execute(parties.brand(), PitchCampaign(**request), idempotency_key="pitch-1")

    with records_nothing(ledger):
        again = ledger.execute(parties.brand(), PitchCampaign(**request), idempotency_key="pitch-1")

    assert (again.aggregate_id, again.version) == (first.aggregate_id, first.version)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.position >= first.position
    assert len(list(ledger.events.get(first.aggregate_id))) == 1


def test_a_replay_returns_the_original_version_after_later_changes(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    accepted = ledger.execute(
        scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id), idempotency_key="acc"
    )
    scenario.sign_both()

    with records_nothing(ledger):
        again = ledger.execute(
            scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id), idempotency_key="acc"
        )

    assert (again.version, again.replayed) == (accepted.version, True) == (2, True)
    assert scenario.campaign().version == 5


def test_same_key_with_different_input_is_a_conflict(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    cid = scenario.campaign_id
    ledger.execute(
        scenario.brand(), CancelCampaign(campaign_id=cid, reason="recall"), idempotency_key="cancel"
    )

    with records_nothing(ledger), pytest.raises(Conflict) as error:
        ledger.execute(
            scenario.brand(),
            CancelCampaign(campaign_id=cid, reason="another reason"),
            idempotency_key="cancel",
        )
    assert error.value.field == "idempotency_key"


def test_a_key_reused_for_another_command_is_a_conflict(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "ACCEPTED")
    digest = scenario.campaign().terms_digest
    ledger.execute(
        scenario.brand(),
        SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest),
        idempotency_key="k",
    )

    with records_nothing(ledger), pytest.raises(Conflict):
        ledger.execute(
            scenario.brand(),
            CancelCampaign(campaign_id=scenario.campaign_id, reason="x"),
            idempotency_key="k",
        )


def test_keys_are_scoped_per_actor(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    pitched = ledger.execute(
        parties.brand(),
        PitchCampaign(
            brand_id=parties.brand_id,
            creator_id=parties.creator_id,
            terms=make_terms(),
            message="Hi",
        ),
        idempotency_key="same-key",
    )

    accepted = ledger.execute(
        parties.creator(), AcceptPitch(campaign_id=pitched.aggregate_id), idempotency_key="same-key"
    )

    assert accepted.replayed is False
    assert accepted.version == 2


def test_idempotency_survives_a_restart(settings: Settings, clock: FakeClock) -> None:
    first_run = Ledger(settings, clock=clock)
    scenario = campaign_at(first_run, "ACCEPTED")
    digest = scenario.campaign().terms_digest
    signed = first_run.execute(
        scenario.brand(),
        SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest),
        idempotency_key="sign-1",
    )
    first_run.close()

    restarted = Ledger(settings, clock=clock)
    try:
        ctx = restarted.context(Actor.brand(scenario.parties.brand_id))
        with records_nothing(restarted):
            again = restarted.execute(
                ctx,
                SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest),
                idempotency_key="sign-1",
            )
            with pytest.raises(Conflict):
                restarted.execute(
                    ctx,
                    SignAgreement(campaign_id=scenario.campaign_id, terms_digest="0" * 64),
                    idempotency_key="sign-1",
                )
        assert (again.aggregate_id, again.version, again.replayed) == (
            signed.aggregate_id,
            signed.version,
            True,
        )
    finally:
        restarted.close()


def test_a_refused_command_does_not_use_up_its_key(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    cid = scenario.campaign_id

    with records_nothing(ledger), pytest.raises(InvalidTransition):
        ledger.execute(scenario.brand(), AcceptPitch(campaign_id=cid), idempotency_key="answer")
    ledger.execute(
        scenario.creator(),
        CounterOffer(campaign_id=cid, terms=make_terms(cash="600000"), message="more"),
    )
    result = ledger.execute(
        scenario.brand(), AcceptPitch(campaign_id=cid), idempotency_key="answer"
    )

    assert result.replayed is False
    assert scenario.event_types()[-1] == "PitchAccepted"


def test_a_stale_expected_version_is_a_conflict_and_records_nothing(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")
    ledger.execute(
        scenario.creator(),
        CounterOffer(
            campaign_id=scenario.campaign_id, terms=make_terms(cash="600000"), message="more"
        ),
        expected_version=1,
    )

    with records_nothing(ledger), pytest.raises(Conflict) as error:
        ledger.execute(
            scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id), expected_version=1
        )
    assert error.value.field == "expected_version"


def test_the_current_expected_version_is_accepted(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")

    result = ledger.execute(
        scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id), expected_version=1
    )

    assert result.version == 2
    assert scenario.campaign().version == 2


def test_racing_counter_offer_and_acceptance_end_with_one_winner(
    ledger: Ledger, second_ledger: Ledger
) -> None:
    parties = register_parties(ledger)
    creator_there = second_ledger.context(Actor.creator(parties.creator_id))
    for _ in range(RACE_ROUNDS):
        scenario = pitch(parties)
        cid = scenario.campaign_id
        second_ledger.get_campaign(cid)

        outcomes = race(
            partial(
                ledger.execute,
                scenario.creator(),
                CounterOffer(campaign_id=cid, terms=make_terms(cash="650000"), message="more"),
            ),
            partial(second_ledger.execute, creator_there, AcceptPitch(campaign_id=cid)),
        )

        assert len(successes(outcomes)) == 1
        (loser,) = [o for o in outcomes if isinstance(o, LedgerError)]
        assert isinstance(loser, InvalidTransition)
        types = scenario.event_types()
        assert len(types) == 2
        assert types[1] in {"CounterOffered", "PitchAccepted"}


def test_racing_signatures_conclude_the_agreement_exactly_once(
    ledger: Ledger, second_ledger: Ledger
) -> None:
    parties = register_parties(ledger)
    for _ in range(RACE_ROUNDS):
        scenario = campaign_at(ledger, "ACCEPTED", parties=parties)
        cid, digest = scenario.campaign_id, scenario.campaign().terms_digest
        brand_there = second_ledger.context(Actor.brand(parties.brand_id))

        outcomes = race(
            partial(
                ledger.execute,
                scenario.creator(),
                SignAgreement(campaign_id=cid, terms_digest=digest),
            ),
            partial(
                second_ledger.execute,
                brand_there,
                SignAgreement(campaign_id=cid, terms_digest=digest),
            ),
        )

        assert len(successes(outcomes)) == 2
        assert scenario.event_types()[-3:] == [
            "AgreementSigned",
            "AgreementSigned",
            "AgreementConcluded",
        ]
        assert scenario.event_types().count("AgreementConcluded") == 1


def test_racing_retries_with_one_key_apply_once(ledger: Ledger, second_ledger: Ledger) -> None:
    parties = register_parties(ledger)
    creator_there = second_ledger.context(Actor.creator(parties.creator_id))
    for round_no in range(RACE_ROUNDS):
        scenario = pitch(parties)
        cid, key = scenario.campaign_id, f"accept-{round_no}"

        outcomes = race(
            partial(
                ledger.execute,
                scenario.creator(),
                AcceptPitch(campaign_id=cid),
                idempotency_key=key,
            ),
            partial(
                second_ledger.execute,
                creator_there,
                AcceptPitch(campaign_id=cid),
                idempotency_key=key,
            ),
        )

        results = successes(outcomes)
        assert len(results) == 2, outcomes
        assert {(r.aggregate_id, r.version) for r in results} == {(cid, 2)}
        assert sorted(r.replayed for r in results) == [False, True]
        assert scenario.event_types() == ["Pitched", "PitchAccepted"]


def test_racing_writers_with_one_expected_version_leave_one_conflict(
    ledger: Ledger, second_ledger: Ledger
) -> None:
    parties = register_parties(ledger)
    for _ in range(RACE_ROUNDS):
        scenario: Scenario = pitch(parties)
        cid = scenario.campaign_id
        creator_there = second_ledger.context(Actor.creator(parties.creator_id))

        outcomes = race(
            partial(
                ledger.execute,
                scenario.creator(),
                DeclinePitch(campaign_id=cid, reason="no"),
                expected_version=1,
            ),
            partial(
                second_ledger.execute,
                creator_there,
                CounterOffer(campaign_id=cid, terms=make_terms(cash="1"), message="m"),
                expected_version=1,
            ),
        )

        assert len(successes(outcomes)) == 1
        assert [type(o) for o in outcomes if isinstance(o, LedgerError)] == [Conflict]
        assert len(scenario.event_types()) == 2


def test_racing_registrations_of_one_handle_leave_one_creator(
    ledger: Ledger, second_ledger: Ledger
) -> None:
    def register(ledger: Ledger, name: str) -> Callable[[], CommandResult]:
        return lambda: ledger.execute(
            ledger.context(Actor.admin()),
            RegisterCreator(handle="@Sari", display_name=name, niches=[], origin="NATIVE"),
        )

    outcomes = race(register(ledger, "One"), register(second_ledger, "Two"))

    (winner,) = successes(outcomes)
    (loser,) = [o for o in outcomes if isinstance(o, LedgerError)]
    assert isinstance(loser, Conflict)
    assert loser.field == "handle"
    assert ledger.get_creator(winner.aggregate_id).handle == "sari"
