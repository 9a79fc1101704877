"""Feedback: each side rates the other once, on its own dimensions, 1–5; the second
submission reveals both and completes the campaign; after the window either may reveal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.application import Ledger
from domain.application.commands import RevealFeedback, SubmitFeedback
from domain.campaign import FEEDBACK_WINDOW_DAYS
from domain.catalog import CampaignState, Party
from domain.errors import InvalidTransition, ValidationError
from domain.ratings import Ratings
from tests.domain.builders import (
    BRAND_RATINGS,
    CREATOR_RATINGS,
    Scenario,
    campaign_at,
    records_nothing,
)
from tests.support import FakeClock


def rate_creator(scenario: Scenario, ratings: dict[str, object], **extra: object) -> None:
    scenario.ledger.execute(
        scenario.brand(),
        SubmitFeedback(
            campaign_id=scenario.campaign_id,
            ratings=ratings,
            would_work_again=extra.pop("would_work_again", True),
            **extra,
        ),
    )


def test_feedback_waits_for_delivery(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        scenario.submit_feedback("BRAND")
    assert error.value.state == "CONCLUDED"


def test_each_side_rates_the_other_on_its_own_dimensions(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    rate_creator(scenario, BRAND_RATINGS, comment="Great content, a day late")

    submitted = scenario.last_event()
    assert type(submitted).__name__ == "FeedbackSubmitted"
    assert submitted.by == "BRAND"
    assert submitted.ratings == Ratings.create(Party.BRAND, BRAND_RATINGS)
    assert submitted.ratings.as_dict() == BRAND_RATINGS
    assert (submitted.would_work_again, submitted.comment) == (True, "Great content, a day late")
    assert scenario.campaign().state is CampaignState.DELIVERED


def test_one_submission_per_side(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    scenario.submit_feedback("BRAND")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        scenario.submit_feedback("BRAND")
    assert "submitFeedback" not in error.value.allowed
    assert "revealFeedback" not in error.value.allowed  # the reveal window is not open yet


def test_ratings_are_integers_from_one_to_five(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger):
        for score in (0, 6, -1, 3.5, "5", True, None):
            with pytest.raises(ValidationError) as error:
                rate_creator(scenario, {**BRAND_RATINGS, "timeliness": score})
            assert error.value.field == "ratings.timeliness", score


def test_ratings_cover_exactly_the_rated_sides_dimensions(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    unknown = {**BRAND_RATINGS, "charisma": 5}
    missing = {k: v for k, v in BRAND_RATINGS.items() if k != "authenticity"}

    with records_nothing(ledger):
        for ratings in (unknown, missing, CREATOR_RATINGS, {}):
            with pytest.raises(ValidationError) as error:
                rate_creator(scenario, ratings)
            assert error.value.field == "ratings", ratings


def test_would_work_again_is_a_yes_or_no(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        rate_creator(scenario, BRAND_RATINGS, would_work_again="yes")
    assert error.value.field == "would_work_again"


def test_second_submission_reveals_and_completes(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    scenario.submit_feedback("CREATOR")

    ledger.execute(
        scenario.brand("req-2"),
        SubmitFeedback(
            campaign_id=scenario.campaign_id, ratings=BRAND_RATINGS, would_work_again=False
        ),
    )

    *_, first, second, revealed, completed = scenario.events()
    assert [type(e).__name__ for e in (first, second, revealed, completed)] == [
        "FeedbackSubmitted",
        "FeedbackSubmitted",
        "FeedbackRevealed",
        "CampaignCompleted",
    ]
    assert [first.by, second.by] == ["CREATOR", "BRAND"]
    assert revealed.causation_id == second.event_id
    assert completed.causation_id == revealed.event_id
    assert {revealed.correlation_id, completed.correlation_id} == {"req-2"}
    campaign = scenario.campaign()
    assert campaign.state is CampaignState.COMPLETED
    assert campaign.feedback_revealed is True
    assert campaign.completed_at == ledger.clock()


def test_reveal_before_the_window_is_refused(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    scenario.submit_feedback("BRAND")
    clock.advance(days=FEEDBACK_WINDOW_DAYS - 1, hours=23)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(scenario.brand(), RevealFeedback(campaign_id=scenario.campaign_id))
    assert error.value.state == "DELIVERED"
    assert "revealed when both sides submit" in str(error.value)


@pytest.mark.parametrize("revealer", ["BRAND", "CREATOR"])
def test_after_the_window_either_side_may_reveal(
    ledger: Ledger, clock: FakeClock, revealer: str
) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    scenario.submit_feedback("BRAND")
    clock.advance(days=FEEDBACK_WINDOW_DAYS)
    ctx = scenario.brand() if revealer == "BRAND" else scenario.creator()

    ledger.execute(ctx, RevealFeedback(campaign_id=scenario.campaign_id))

    *_, revealed, completed = scenario.events()
    assert type(revealed).__name__ == "FeedbackRevealed"
    assert revealed.actor == str(ctx.actor)
    assert revealed.causation_id is None
    assert completed.causation_id == revealed.event_id
    assert scenario.campaign().state is CampaignState.COMPLETED
    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        scenario.submit_feedback("CREATOR")
    assert error.value.state == "COMPLETED"


def test_the_window_counts_from_the_last_publication(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    published_at = scenario.campaign().delivered_at
    scenario.submit_feedback("CREATOR")
    clock.now = published_at + timedelta(days=FEEDBACK_WINDOW_DAYS)

    ledger.execute(scenario.creator(), RevealFeedback(campaign_id=scenario.campaign_id))

    assert scenario.campaign().state is CampaignState.COMPLETED


def test_nothing_to_reveal_without_feedback(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    clock.advance(days=FEEDBACK_WINDOW_DAYS + 1)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(scenario.brand(), RevealFeedback(campaign_id=scenario.campaign_id))
    assert "no feedback" in str(error.value)
