"""The store proves it has not been altered: hash-chained events and the
consistency check behind ``campaign-ledger verify``."""

from __future__ import annotations

import sqlite3

import psycopg

from domain.application import Ledger
from domain.chain import GENESIS, chain_digest
from domain.infrastructure.settings import Settings
from domain.store_check import check_store
from tests.domain.builders import campaign_at


def _tamper(settings: Settings, position: int, old: bytes, new: bytes) -> None:
    """Edit one stored event's bytes by hand, as someone with database access could."""
    if settings.backend == "sqlite":
        with sqlite3.connect(settings.events_path) as connection:
            (state,) = connection.execute(
                "SELECT state FROM stored_events WHERE rowid = ?", (position,)
            ).fetchone()
            assert old in state
            connection.execute(
                "UPDATE stored_events SET state = ? WHERE rowid = ?",
                (state.replace(old, new), position),
            )
        return
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        (state,) = connection.execute(
            "SELECT state FROM campaignledger_events WHERE notification_id = %s", (position,)
        ).fetchone()
        assert old in bytes(state)
        connection.execute(
            "UPDATE campaignledger_events SET state = %s WHERE notification_id = %s",
            (bytes(state).replace(old, new), position),
        )


def _position_of(ledger: Ledger, topic_suffix: str) -> int:
    for notification in ledger.recorder.select_notifications(1, 10_000):
        if notification.topic.endswith(topic_suffix):
            return notification.id
    raise AssertionError(f"no {topic_suffix} event")


def test_each_event_digest_covers_its_predecessor(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    events = list(ledger.events.get(scenario.campaign_id))
    previous = GENESIS
    for event in events:
        topic = f"{type(event).__module__}:{type(event).__qualname__}"
        fields = dict(vars(event))
        assert event.chain == chain_digest(previous, topic, fields)
        previous = event.chain
    assert len({e.chain for e in events}) == len(events)


def test_an_untouched_store_is_consistent(ledger: Ledger) -> None:
    campaign_at(ledger, "COMPLETED")
    assert check_store(ledger) == []


def test_a_hand_edited_event_is_named_by_the_check(ledger: Ledger, settings: Settings) -> None:
    scenario = campaign_at(ledger, "COMPLETED")
    position = _position_of(ledger, "Campaign.PostPublished")
    _tamper(settings, position, b'"caption":"', b'"caption":"X')

    problems = check_store(Ledger(settings))

    assert [(p.position, p.aggregate_id) for p in problems] == [(position, scenario.campaign_id)]
    assert "hash chain broken" in problems[0].describe()


def test_rewriting_an_event_with_its_own_digest_breaks_the_next_link(
    ledger: Ledger, settings: Settings
) -> None:
    scenario = campaign_at(ledger, "COMPLETED")
    event = next(
        e for e in ledger.events.get(scenario.campaign_id) if type(e).__name__ == "PostPublished"
    )
    position = _position_of(ledger, "Campaign.PostPublished")
    forged = dict(vars(event)) | {"caption": "FORGED " + event.caption}
    previous = next(
        e.chain
        for e in ledger.events.get(scenario.campaign_id)
        if e.originator_version == event.originator_version - 1
    )
    topic = f"{type(event).__module__}:{type(event).__qualname__}"
    new_chain = chain_digest(previous, topic, forged).encode()
    _tamper(settings, position, event.chain.encode(), new_chain)
    _tamper(settings, position, b'"caption":"', b'"caption":"FORGED ')

    problems = check_store(Ledger(settings))

    assert [p.aggregate_id for p in problems] == [scenario.campaign_id]
    assert problems[0].version == event.originator_version + 1
