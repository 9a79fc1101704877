"""The progress hub's knowledge of where each projection's tables last changed, which the
response cache trusts to serve an answer read at an earlier position."""

from __future__ import annotations

from projections.machinery.progress import ProgressHub


def hub_at(position: int) -> ProgressHub:
    hub = ProgressHub(required={"directory"})
    hub.observe({("directory", 1): position}, {"directory": 1})
    return hub


def test_batches_that_handled_nothing_keep_earlier_answers_valid() -> None:
    hub = hub_at(10)

    hub.committed("directory", 1, 10, 15, None)
    hub.committed("directory", 1, 15, 20, None)

    assert hub.stands_at([("directory", 1, 10)])
    assert hub.stands_at([("directory", 1, 20)])


def test_a_batch_that_handled_an_event_ends_earlier_answers() -> None:
    hub = hub_at(10)

    hub.committed("directory", 1, 10, 20, 14)

    assert not hub.stands_at([("directory", 1, 10)])
    assert not hub.stands_at([("directory", 1, 13)])
    assert hub.stands_at([("directory", 1, 14)])
    assert hub.stands_at([("directory", 1, 20)])


def test_an_answer_read_beyond_what_the_hub_knows_is_not_trusted() -> None:
    hub = hub_at(10)

    assert not hub.stands_at([("directory", 1, 11)])


def test_a_batch_heard_of_out_of_sequence_is_taken_as_a_change() -> None:
    hub = hub_at(10)

    hub.committed("directory", 1, 12, 20, None)

    assert not hub.stands_at([("directory", 1, 10)])
    assert hub.stands_at([("directory", 1, 20)])


def test_a_position_learnt_without_its_batches_is_taken_as_a_change() -> None:
    hub = hub_at(10)

    hub.publish("directory", 1, 20)
    hub.observe({("directory", 1): 30}, {"directory": 1})

    assert not hub.stands_at([("directory", 1, 20)])
    assert hub.stands_at([("directory", 1, 30)])


def test_answers_of_an_inactive_version_are_not_trusted() -> None:
    hub = hub_at(10)

    hub.observe({("directory", 2): 10}, {"directory": 2})

    assert not hub.stands_at([("directory", 1, 10)])
    assert hub.stands_at([("directory", 2, 10)])


def test_a_reset_ends_every_earlier_answer() -> None:
    hub = hub_at(10)

    hub.reset("directory", 1)

    assert not hub.stands_at([("directory", 1, 10)])
