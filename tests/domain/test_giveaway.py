"""Giveaway: a committed seed, entries in de-duplicated batches, a close after the
announced time, a draw anyone can recompute, and prizes shipped to winners only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import giveaway_draw as draw
from domain.application import Ledger
from domain.application.commands import (
    AnnounceGiveaway,
    CloseGiveaway,
    ConfirmPrizeDelivered,
    DrawGiveawayWinners,
    RecordGiveawayEntries,
    ShipPrize,
)
from domain.errors import Conflict, Forbidden, InvalidTransition, ValidationError
from domain.money import Money
from tests.domain.builders import SEED, Scenario, campaign_at, records_nothing, terms
from tests.support import FakeClock

WITH_GIVEAWAY = terms(giveaway_required=True)
FANS = [f"fan{i}" for i in range(40)]


def running(ledger: Ledger, **announce: object) -> Scenario:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=WITH_GIVEAWAY)
    scenario.announce_giveaway(**announce)  # type: ignore[arg-type]
    return scenario


def enter(scenario: Scenario, entries: list[str], giveaway_id: str = "g1") -> None:
    scenario.ledger.execute(
        scenario.creator(),
        RecordGiveawayEntries(
            campaign_id=scenario.campaign_id, giveaway_id=giveaway_id, entries=entries
        ),
    )


def drawn(ledger: Ledger, clock: FakeClock, entries: list[str] = FANS) -> Scenario:
    scenario = running(ledger)
    enter(scenario, entries)
    clock.advance(days=3)
    ledger.execute(
        scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
    )
    ledger.execute(
        scenario.creator(),
        DrawGiveawayWinners(campaign_id=scenario.campaign_id, giveaway_id="g1", seed=SEED),
    )
    return scenario


def winners_of(scenario: Scenario) -> list[str]:
    return list(scenario.campaign().giveaways["g1"]["winners"])


def test_announcement_commits_to_the_seed(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=WITH_GIVEAWAY)

    ledger.execute(
        scenario.creator(),
        AnnounceGiveaway(
            campaign_id=scenario.campaign_id,
            giveaway_id="g1",
            prize="Purela serum",
            prize_value=Money.of("150000"),
            winner_count=2,
            entry_rules=["follow @purela"],
            closes_at=clock() + timedelta(days=3),
            seed_commitment=draw.commitment_for(SEED).upper(),
        ),
    )

    announced = scenario.last_event()
    assert type(announced).__name__ == "GiveawayAnnounced"
    assert announced.seed_commitment == draw.commitment_for(SEED)
    assert announced.prize_value == Money.of("150000")
    assert (announced.winner_count, announced.closes_at) == (2, clock() + timedelta(days=3))
    assert SEED not in repr(vars(announced))


def test_a_giveaway_needs_terms_that_include_one(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        scenario.announce_giveaway()
    assert "no giveaway" in str(error.value)


def test_the_seed_commitment_must_be_a_sha256_digest(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=WITH_GIVEAWAY)

    with records_nothing(ledger):
        for commitment in ("", "abc", "z" * 64, SEED, None):
            with pytest.raises(ValidationError) as error:
                ledger.execute(
                    scenario.creator(),
                    AnnounceGiveaway(
                        campaign_id=scenario.campaign_id,
                        giveaway_id="g1",
                        prize="serum",
                        winner_count=1,
                        entry_rules=["follow"],
                        closes_at=ledger.clock() + timedelta(days=1),
                        seed_commitment=commitment,
                    ),
                )
            assert error.value.field == "seed_commitment", commitment


def test_a_giveaway_closes_in_the_future(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=WITH_GIVEAWAY)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        scenario.announce_giveaway(closes_in=timedelta(0))
    assert error.value.field == "closes_at"


def test_giveaway_ids_are_unique_within_a_campaign(ledger: Ledger) -> None:
    scenario = running(ledger)

    with records_nothing(ledger), pytest.raises(Conflict) as error:
        scenario.announce_giveaway()
    assert error.value.field == "giveaway_id"


def test_entries_are_recorded_in_batches_as_normalised_handles(ledger: Ledger) -> None:
    scenario = running(ledger)

    enter(scenario, ["@Fan.One", "fan_two"])
    enter(scenario, ["FAN-three"])

    batches = [e for e in scenario.events() if type(e).__name__ == "GiveawayEntriesRecorded"]
    assert [list(b.entries) for b in batches] == [["fan.one", "fan_two"], ["fan-three"]]
    assert scenario.campaign().giveaways["g1"]["entries"] == ["fan.one", "fan_two", "fan-three"]


def test_a_handle_repeated_within_a_batch_enters_once(ledger: Ledger) -> None:
    scenario = running(ledger)

    enter(scenario, ["fan1", "fan2", "@FAN1"])

    [batch] = [e for e in scenario.events() if type(e).__name__ == "GiveawayEntriesRecorded"]
    assert (list(batch.entries), batch.already_in) == (["fan1", "fan2"], 1)


def test_an_overlapping_batch_records_only_the_new_handles(ledger: Ledger) -> None:
    scenario = running(ledger)
    enter(scenario, ["ayu", "budi", "@Citra", "dewi"])

    enter(scenario, ["citra", "eka", "fajar"])

    batch = scenario.last_event()
    assert (list(batch.entries), batch.already_in) == (["eka", "fajar"], 1)
    assert scenario.campaign().giveaways["g1"]["entries"] == [
        *["ayu", "budi", "citra", "dewi"],
        *["eka", "fajar"],
    ]


def test_a_batch_of_handles_all_already_in_records_nothing(ledger: Ledger) -> None:
    scenario = running(ledger)
    enter(scenario, ["fan1", "fan2"])

    with records_nothing(ledger):
        enter(scenario, ["@Fan2", "fan1"])
    assert scenario.campaign().giveaways["g1"]["entries"] == ["fan1", "fan2"]


def test_an_empty_batch_or_a_bad_handle_is_refused(ledger: Ledger) -> None:
    scenario = running(ledger)

    with records_nothing(ledger):
        for batch in ([], ["not a handle"], ["x" * 70]):
            with pytest.raises(ValidationError) as error:
                enter(scenario, batch)
            assert error.value.field == "entries"


def test_a_giveaway_is_not_closed_before_its_closing_time(ledger: Ledger, clock: FakeClock) -> None:
    scenario = running(ledger)
    enter(scenario, FANS)
    clock.advance(days=2, hours=23)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
        )
    assert "closes at" in str(error.value)


def test_no_entries_after_the_closing_time(ledger: Ledger, clock: FakeClock) -> None:
    scenario = running(ledger)
    clock.advance(days=3)

    with records_nothing(ledger), pytest.raises(InvalidTransition):
        enter(scenario, ["late.fan"])


def test_closing_records_the_count_and_digest_of_the_entries(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = running(ledger)
    enter(scenario, FANS[:25])
    enter(scenario, FANS[25:])
    clock.advance(days=3)

    ledger.execute(
        scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
    )

    closed = scenario.last_event()
    assert closed.entry_count == len(FANS)
    assert closed.entries_digest == draw.entries_digest(reversed(FANS))
    with records_nothing(ledger), pytest.raises(InvalidTransition):
        ledger.execute(
            scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
        )


def test_no_draw_while_the_giveaway_is_open(ledger: Ledger) -> None:
    scenario = running(ledger)
    enter(scenario, FANS)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(),
            DrawGiveawayWinners(campaign_id=scenario.campaign_id, giveaway_id="g1", seed=SEED),
        )
    assert "still open" in str(error.value)


def test_a_giveaway_without_entries_has_no_draw(ledger: Ledger, clock: FakeClock) -> None:
    scenario = running(ledger)
    clock.advance(days=3)
    ledger.execute(
        scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
    )

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(),
            DrawGiveawayWinners(campaign_id=scenario.campaign_id, giveaway_id="g1", seed=SEED),
        )
    assert "no entries" in str(error.value)


def test_a_draw_with_a_seed_other_than_the_committed_one_is_refused(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = running(ledger)
    enter(scenario, FANS)
    clock.advance(days=3)
    ledger.execute(
        scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
    )

    with records_nothing(ledger):
        for seed in (SEED + "x", SEED.upper(), "another-secret-seed", "short", None):
            with pytest.raises(ValidationError) as error:
                ledger.execute(
                    scenario.creator(),
                    DrawGiveawayWinners(
                        campaign_id=scenario.campaign_id, giveaway_id="g1", seed=seed
                    ),
                )
            assert error.value.field == "seed", seed


def test_anyone_can_recompute_the_winners(ledger: Ledger, clock: FakeClock) -> None:
    scenario = drawn(ledger, clock)

    drawn_event = scenario.last_event()
    assert type(drawn_event).__name__ == "GiveawayWinnersDrawn"
    assert drawn_event.seed == SEED
    announced = next(e for e in scenario.events() if type(e).__name__ == "GiveawayAnnounced")
    assert draw.commitment_for(drawn_event.seed) == announced.seed_commitment
    entries = [
        handle
        for e in scenario.events()
        if type(e).__name__ == "GiveawayEntriesRecorded"
        for handle in e.entries
    ]
    assert tuple(drawn_event.winners) == draw.draw_winners(SEED, entries, 2)
    assert len(set(drawn_event.winners)) == 2
    assert set(drawn_event.winners) <= set(FANS)


def test_fewer_entries_than_prizes_all_win(ledger: Ledger, clock: FakeClock) -> None:
    scenario = drawn(ledger, clock, entries=["only.fan"])

    assert winners_of(scenario) == ["only.fan"]


def test_winners_are_drawn_once(ledger: Ledger, clock: FakeClock) -> None:
    scenario = drawn(ledger, clock)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(),
            DrawGiveawayWinners(campaign_id=scenario.campaign_id, giveaway_id="g1", seed=SEED),
        )
    assert "already drawn" in str(error.value)


def test_only_the_creator_runs_the_giveaway(ledger: Ledger, clock: FakeClock) -> None:
    scenario = running(ledger)
    brand, cid = scenario.brand(), scenario.campaign_id

    with records_nothing(ledger):
        with pytest.raises(Forbidden):
            ledger.execute(
                brand, RecordGiveawayEntries(campaign_id=cid, giveaway_id="g1", entries=["fan1"])
            )
        with pytest.raises(Forbidden):
            ledger.execute(brand, CloseGiveaway(campaign_id=cid, giveaway_id="g1"))
        with pytest.raises(Forbidden):
            ledger.execute(brand, DrawGiveawayWinners(campaign_id=cid, giveaway_id="g1", seed=SEED))


def test_prizes_are_shipped_and_delivered_to_winners(ledger: Ledger, clock: FakeClock) -> None:
    scenario = drawn(ledger, clock)
    cid = scenario.campaign_id
    first, second = winners_of(scenario)

    ledger.execute(
        scenario.brand(),
        ShipPrize(
            campaign_id=cid, giveaway_id="g1", winner=first, carrier="JNE", tracking_ref="JNE-1"
        ),
    )
    ledger.execute(
        scenario.creator(),
        ShipPrize(
            campaign_id=cid,
            giveaway_id="g1",
            winner=f"@{second.upper()}",
            carrier="SiCepat",
            tracking_ref="SC-2",
        ),
    )
    ledger.execute(
        scenario.creator(), ConfirmPrizeDelivered(campaign_id=cid, giveaway_id="g1", winner=first)
    )

    shipped = [e for e in scenario.events() if type(e).__name__ == "PrizeShipped"]
    assert [(s.winner, s.carrier, s.tracking_ref) for s in shipped] == [
        (first, "JNE", "JNE-1"),
        (second, "SiCepat", "SC-2"),
    ]
    assert scenario.last_event().winner == first
    giveaway = scenario.campaign().giveaways["g1"]
    assert (giveaway["shipped"], giveaway["delivered"]) == ([first, second], [first])


def test_prizes_go_to_winners_only(ledger: Ledger, clock: FakeClock) -> None:
    scenario = drawn(ledger, clock)
    loser = next(fan for fan in FANS if fan not in winners_of(scenario))

    with records_nothing(ledger):
        with pytest.raises(ValidationError) as error:
            ledger.execute(
                scenario.brand(),
                ShipPrize(
                    campaign_id=scenario.campaign_id,
                    giveaway_id="g1",
                    winner=loser,
                    carrier="JNE",
                    tracking_ref="X",
                ),
            )
        assert error.value.field == "winner"
        with pytest.raises(ValidationError) as error:
            ledger.execute(
                scenario.brand(),
                ConfirmPrizeDelivered(
                    campaign_id=scenario.campaign_id, giveaway_id="g1", winner=loser
                ),
            )
        assert error.value.field == "winner"


def test_a_prize_is_shipped_once_and_delivered_once_after_shipping(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = drawn(ledger, clock)
    cid, winner = scenario.campaign_id, winners_of(scenario)[0]

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.brand(),
            ConfirmPrizeDelivered(campaign_id=cid, giveaway_id="g1", winner=winner),
        )
    assert "no prize shipped" in str(error.value)

    ledger.execute(
        scenario.brand(),
        ShipPrize(
            campaign_id=cid, giveaway_id="g1", winner=winner, carrier="JNE", tracking_ref="JNE-1"
        ),
    )
    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.brand(),
            ShipPrize(
                campaign_id=cid,
                giveaway_id="g1",
                winner=winner,
                carrier="JNE",
                tracking_ref="JNE-2",
            ),
        )
    assert "already shipped" in str(error.value)

    ledger.execute(
        scenario.creator(), ConfirmPrizeDelivered(campaign_id=cid, giveaway_id="g1", winner=winner)
    )
    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.creator(),
            ConfirmPrizeDelivered(campaign_id=cid, giveaway_id="g1", winner=winner),
        )
    assert "already delivered" in str(error.value)


def test_no_prize_ships_before_the_draw(ledger: Ledger) -> None:
    scenario = running(ledger)
    enter(scenario, FANS)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            scenario.brand(),
            ShipPrize(
                campaign_id=scenario.campaign_id,
                giveaway_id="g1",
                winner="fan1",
                carrier="JNE",
                tracking_ref="X",
            ),
        )
    assert error.value.field == "winner"


def test_an_unknown_giveaway_is_refused(ledger: Ledger) -> None:
    scenario = running(ledger)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        enter(scenario, ["fan1"], giveaway_id="g2")
    assert error.value.field == "giveaway_id"
