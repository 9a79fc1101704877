"""Group commit: commands that arrive while every commit lane is busy are decided one
by one and saved together in the next transaction — and each still gets exactly the
answer it would have got alone.

Each test holds the first commits at the store (one per lane: SQLite has one,
PostgreSQL several) until the other commands are queued behind them, so the
grouping is certain, not a matter of timing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from domain.application import CommandResult, Ledger
from domain.application.commands import (
    AcceptPitch,
    Command,
    RegisterCreator,
    SignAgreement,
    WithdrawPitch,
)
from domain.audit import campaign_view, campaign_view_after
from domain.context import CommandContext
from domain.errors import Conflict, InvalidTransition, LedgerError
from tests.domain.builders import Parties, Scenario, pitch, register_parties

WAIT = 30.0


class Held:
    """The first saves (one per lane) wait at the store until released; later saves
    go through."""

    def __init__(self, ledger: Ledger) -> None:
        self.release = threading.Event()
        self.lanes = ledger.commits.lanes
        self._holding = 0
        self._lock = threading.Lock()
        self._save = ledger.save

    def save(self, *aggregates: Any, **kwargs: Any) -> Any:
        with self._lock:
            hold = self._holding < self.lanes
            self._holding += hold
        if hold:
            assert self.release.wait(WAIT)
        return self._save(*aggregates, **kwargs)

    def all_lanes_held(self) -> bool:
        with self._lock:
            return self._holding >= self.lanes


@contextmanager
def first_commits_held(ledger: Ledger) -> Iterator[Held]:
    held = Held(ledger)
    ledger.save = held.save  # type: ignore[method-assign]
    try:
        yield held
    finally:
        held.release.set()
        del ledger.save


class Outcomes:
    """Commands run in threads of their own; each one's result or error."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.results: dict[str, CommandResult | LedgerError] = {}

    def start(
        self, name: str, ledger: Ledger, ctx: CommandContext, command: Command, **guards: Any
    ) -> None:
        def run() -> None:
            try:
                self.results[name] = ledger.execute(ctx, command, **guards)
            except LedgerError as error:
                self.results[name] = error

        thread = threading.Thread(target=run, name=name)
        self.threads.append(thread)
        thread.start()

    def join(self) -> dict[str, CommandResult | LedgerError]:
        for thread in self.threads:
            thread.join(WAIT)
        return self.results


def queued(ledger: Ledger, count: int) -> Callable[[], bool]:
    def check() -> bool:
        return ledger.commits.waiting >= count

    return check


def wait_until(check: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(int(WAIT * 1000)):
        if check():
            return
        done.wait(0.001)
    raise AssertionError("the commands never queued behind the held commit")


def hold_then_queue(
    ledger: Ledger, parties: Parties, rest: dict[str, tuple[CommandContext, Command]]
) -> dict[str, CommandResult | LedgerError]:
    """A command per lane is committed and held; ``rest`` queue behind, then all go."""
    outcomes = Outcomes()
    lanes = [pitch(parties) for _ in range(ledger.commits.lanes)]
    with first_commits_held(ledger) as held:
        for number, lane in enumerate(lanes):
            outcomes.start(f"lane {number}", ledger, *accept(lane))
        wait_until(held.all_lanes_held)
        for name, (ctx, command) in rest.items():
            outcomes.start(name, ledger, ctx, command)
        wait_until(queued(ledger, len(rest)))
        batches = ledger.commits.batches
        held.release.set()
        results = outcomes.join()
    assert ledger.commits.batches == batches + 1, "the queued commands were not saved together"
    return {name: result for name, result in results.items() if not name.startswith("lane ")}


def accept(scenario: Scenario) -> tuple[CommandContext, Command]:
    return scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id)


def test_commands_that_arrive_together_are_saved_together(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    scenarios = [pitch(parties) for _ in range(5)]

    results = hold_then_queue(
        ledger, parties, {f"c{i}": accept(s) for i, s in enumerate(scenarios)}
    )

    assert all(isinstance(r, CommandResult) for r in results.values()), results
    positions = [r.position for r in results.values() if isinstance(r, CommandResult)]
    assert len(set(positions)) == len(positions)
    for scenario in scenarios:
        assert scenario.event_types() == ["Pitched", "PitchAccepted"]
    assert all(p <= ledger.head_position() for p in positions)


def test_a_refused_command_in_a_group_fails_alone(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    good, refused, later = (pitch(parties) for _ in range(3))

    results = hold_then_queue(
        ledger,
        parties,
        {
            "good": accept(good),
            # The brand made the offer: it may not accept it.
            "refused": (refused.brand(), AcceptPitch(campaign_id=refused.campaign_id)),
            "later": accept(later),
        },
    )

    assert isinstance(results["refused"], InvalidTransition)
    assert isinstance(results["good"], CommandResult)
    assert isinstance(results["later"], CommandResult)
    assert refused.event_types() == ["Pitched"]
    assert good.event_types() == later.event_types() == ["Pitched", "PitchAccepted"]


def test_commands_on_one_campaign_in_a_group_see_each_others_events(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    scenario = pitch(parties)
    scenario.ledger.execute(*accept(scenario))
    digest = scenario.campaign().terms.digest
    sign = SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest)

    results = hold_then_queue(
        ledger,
        parties,
        {
            "brand": (scenario.brand(), sign),
            "creator": (scenario.creator(), sign),
            # Queued after both signatures: the pitch is no longer open.
            "withdraw": (scenario.brand(), WithdrawPitch(campaign_id=scenario.campaign_id)),
        },
    )

    brand, creator = results["brand"], results["creator"]
    assert isinstance(brand, CommandResult)
    assert isinstance(creator, CommandResult)
    assert (brand.version, creator.version) == (3, 5)
    assert isinstance(results["withdraw"], InvalidTransition)
    assert scenario.event_types() == [
        "Pitched",
        "PitchAccepted",
        "AgreementSigned",
        "AgreementSigned",
        "AgreementConcluded",
    ]


def test_a_group_the_store_refuses_is_saved_command_by_command(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    neighbour = pitch(parties)
    admin = parties.admin()
    twin = RegisterCreator(handle="twin", display_name="Twin", niches=[], origin="NATIVE")

    results = hold_then_queue(
        ledger,
        parties,
        {"one": (admin, twin), "other": (admin, twin), "neighbour": accept(neighbour)},
    )

    registered = [r for r in results.values() if isinstance(r, CommandResult)]
    taken = [r for r in results.values() if isinstance(r, Conflict)]
    assert len(taken) == 1, results
    assert taken[0].field == "handle"
    assert len(registered) == 2
    assert neighbour.event_types() == ["Pitched", "PitchAccepted"]


def test_one_idempotency_key_twice_in_a_group_applies_once(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    scenario = pitch(parties)
    outcomes = Outcomes()
    lanes = [pitch(parties) for _ in range(ledger.commits.lanes)]
    with first_commits_held(ledger) as held:
        for number, lane in enumerate(lanes):
            outcomes.start(f"lane {number}", ledger, *accept(lane))
        wait_until(held.all_lanes_held)
        for name in ("a", "b"):
            outcomes.start(name, ledger, *accept(scenario), idempotency_key="accept-once")
        wait_until(queued(ledger, 2))
        held.release.set()
        outcomes.join()

    a, b = outcomes.results["a"], outcomes.results["b"]
    assert isinstance(a, CommandResult)
    assert isinstance(b, CommandResult)
    assert (a.aggregate_id, a.version) == (b.aggregate_id, b.version)
    assert sorted([a.replayed, b.replayed]) == [False, True]
    assert scenario.event_types() == ["Pitched", "PitchAccepted"]


def test_a_result_carries_what_its_command_produced_even_within_a_group(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    scenario = pitch(parties)
    scenario.ledger.execute(*accept(scenario))
    digest = scenario.campaign().terms.digest
    sign = SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest)

    results = hold_then_queue(
        ledger, parties, {"brand": (scenario.brand(), sign), "creator": (scenario.creator(), sign)}
    )

    brand, creator = results["brand"], results["creator"]
    assert isinstance(brand, CommandResult)
    assert isinstance(creator, CommandResult)
    assert [type(e).__name__ for e in brand.events] == ["AgreementSigned"]
    assert [type(e).__name__ for e in creator.events] == ["AgreementSigned", "AgreementConcluded"]
    assert brand.aggregate is None, "the creator's signature moved the campaign past it"
    assert creator.aggregate is not None
    assert creator.aggregate.version == creator.version == 5
    fresh = Ledger(ledger.settings)
    try:
        for result in (brand, creator):
            assert campaign_view_after(ledger, result) == campaign_view(
                fresh, scenario.campaign_id, version=result.version
            )
    finally:
        fresh.close()
