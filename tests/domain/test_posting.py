"""Posting stage: drafts reviewed where the terms require approval, posts published
from approved drafts with disclosure computed by the domain, and post metrics."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.application import Ledger
from domain.application.commands import (
    ApproveDraft,
    PublishPost,
    RecordPostMetrics,
    RequestChanges,
    SubmitDraft,
)
from domain.catalog import CampaignState, DraftStatus
from domain.errors import Conflict, Forbidden, InvalidTransition, ValidationError
from tests.domain.builders import Scenario, campaign_at, deliverable, records_nothing, terms
from tests.support import FakeClock

NO_APPROVAL = terms(approval_required=False)


def submit(scenario: Scenario, caption: str = "Glowing #ad", deliverable_id: str = "d1") -> None:
    scenario.ledger.execute(
        scenario.creator(),
        SubmitDraft(
            campaign_id=scenario.campaign_id,
            deliverable_id=deliverable_id,
            caption=caption,
            media_urls=["https://cdn.example/draft.jpg"],
            pros=["light texture", "no white cast"],
            cons=["pricey"],
        ),
    )


def publish(scenario: Scenario, caption: str = "Glowing #ad", **extra: object) -> None:
    scenario.ledger.execute(
        scenario.creator(),
        PublishPost(
            campaign_id=scenario.campaign_id,
            deliverable_id="d1",
            url="https://instagram.com/p/abc",
            published_at=scenario.ledger.clock(),
            caption=caption,
            **extra,
        ),
    )


def test_a_draft_carries_the_creators_honest_review(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    submit(scenario)

    draft = scenario.last_event()
    assert type(draft).__name__ == "DraftSubmitted"
    assert (draft.deliverable_id, draft.draft_no) == ("d1", 1)
    assert list(draft.pros) == ["light texture", "no white cast"]
    assert list(draft.cons) == ["pricey"]
    assert list(draft.media_urls) == ["https://cdn.example/draft.jpg"]


def test_changes_requested_then_a_new_draft_is_approved_and_published(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    cid = scenario.campaign_id

    submit(scenario, "First take")
    ledger.execute(
        scenario.brand(),
        RequestChanges(campaign_id=cid, deliverable_id="d1", draft_no=1, notes="More light"),
    )
    submit(scenario, "Second take #ad")
    ledger.execute(scenario.brand(), ApproveDraft(campaign_id=cid, deliverable_id="d1", draft_no=2))
    publish(scenario, "Second take #ad")

    assert scenario.event_types()[-5:] == [
        "DraftSubmitted",
        "ChangesRequested",
        "DraftSubmitted",
        "DraftApproved",
        "PostPublished",
    ]
    events = scenario.events()
    assert events[-4].notes == "More light"
    assert events[-3].draft_no == 2
    campaign = scenario.campaign()
    assert campaign.changes_requested == 1
    assert [d["status"] for d in campaign.drafts["d1"]] == [
        DraftStatus.CHANGES_REQUESTED,
        DraftStatus.PUBLISHED,
    ]
    assert campaign.state is CampaignState.DELIVERED


def test_drafts_are_refused_where_the_terms_need_no_approval(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=NO_APPROVAL)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        submit(scenario)
    assert error.value.state == "CONCLUDED"
    assert "no draft approval" in str(error.value)


def test_without_required_approval_a_post_is_published_directly(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=NO_APPROVAL)

    publish(scenario)

    assert scenario.event_types()[-1] == "PostPublished"
    assert scenario.campaign().state is CampaignState.DELIVERED


@pytest.mark.parametrize("draft", ["none", "submitted", "changes requested"])
def test_only_an_approved_draft_is_published(ledger: Ledger, draft: str) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    if draft != "none":
        submit(scenario)
    if draft == "changes requested":
        ledger.execute(
            scenario.brand(),
            RequestChanges(
                campaign_id=scenario.campaign_id, deliverable_id="d1", draft_no=1, notes="no"
            ),
        )

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        publish(scenario)
    assert "approved draft" in str(error.value)


def test_a_new_draft_waits_for_the_review_of_the_last(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    submit(scenario)

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        submit(scenario)
    assert "SUBMITTED" in str(error.value)


def test_reviewing_a_draft_that_is_not_the_one_awaiting_review_is_a_conflict(
    ledger: Ledger,
) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    submit(scenario)

    with records_nothing(ledger), pytest.raises(Conflict) as error:
        ledger.execute(
            scenario.brand(),
            ApproveDraft(campaign_id=scenario.campaign_id, deliverable_id="d1", draft_no=2),
        )
    assert error.value.field == "draft_no"


def test_nothing_to_review_without_a_submitted_draft(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger), pytest.raises(InvalidTransition):
        ledger.execute(
            scenario.brand(),
            RequestChanges(
                campaign_id=scenario.campaign_id, deliverable_id="d1", draft_no=1, notes="x"
            ),
        )


def test_each_side_keeps_to_its_part_of_the_review(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")
    cid = scenario.campaign_id

    with records_nothing(ledger):
        with pytest.raises(Forbidden):
            ledger.execute(
                scenario.brand(),
                SubmitDraft(
                    campaign_id=cid, deliverable_id="d1", caption="x", pros=["a"], cons=["b"]
                ),
            )
        submit_ok = scenario.campaign().version
        with pytest.raises(Forbidden):
            ledger.execute(
                scenario.creator(), ApproveDraft(campaign_id=cid, deliverable_id="d1", draft_no=1)
            )
        with pytest.raises(Forbidden):
            ledger.execute(
                scenario.brand(),
                PublishPost(
                    campaign_id=cid,
                    deliverable_id="d1",
                    url="https://x.example/p",
                    published_at=ledger.clock(),
                    caption="#ad",
                ),
            )
    assert scenario.campaign().version == submit_ok


def test_an_unknown_deliverable_is_refused(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        submit(scenario, deliverable_id="d9")
    assert error.value.field == "deliverable_id"


def test_an_honest_review_needs_both_pros_and_cons(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger):
        for field in ("pros", "cons"):
            review = {"pros": ["light"], "cons": ["pricey"], field: []}
            with pytest.raises(ValidationError) as error:
                ledger.execute(
                    scenario.creator(),
                    SubmitDraft(
                        campaign_id=scenario.campaign_id, deliverable_id="d1", caption="x", **review
                    ),
                )
            assert error.value.field == field


DISCLOSED_CAPTIONS = {
    "Love it #AD": ("ad",),
    "Cantik! #Iklan": ("iklan",),
    "Kolaborasi #kerja_sama dengan Purela": ("kerjasama",),
    "#Paid-Promote #Endorse": ("paidpromote", "endorse"),
    "#sponsored, full-width ＃kerjasama": ("sponsored", "kerjasama"),
}


def test_disclosure_is_computed_from_the_caption(ledger: Ledger) -> None:
    captions = list(DISCLOSED_CAPTIONS)
    several = terms(
        approval_required=False,
        deliverables=[deliverable(f"d{i}") for i in range(1, len(captions) + 1)],
    )
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=several)

    for index, caption in enumerate(captions, start=1):
        ledger.execute(
            scenario.creator(),
            PublishPost(
                campaign_id=scenario.campaign_id,
                deliverable_id=f"d{index}",
                url=f"https://instagram.com/p/{index}",
                published_at=ledger.clock(),
                caption=caption,
            ),
        )

    posts = [e for e in scenario.events() if type(e).__name__ == "PostPublished"]
    assert [p.caption for p in posts] == captions
    for post in posts:
        assert post.disclosed is True
        assert tuple(post.disclosure_tags) == DISCLOSED_CAPTIONS[post.caption]
        assert post.paid_partnership_flag is False


def test_the_platforms_paid_partnership_flag_discloses_a_post(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=NO_APPROVAL)

    publish(scenario, "Morning routine", paid_partnership_flag=True)

    post = scenario.last_event()
    assert (post.disclosed, post.paid_partnership_flag) == (True, True)
    assert tuple(post.disclosure_tags) == ()


def test_a_post_without_disclosure_is_recorded_as_undisclosed(ledger: Ledger) -> None:
    caption = "Morning routine, ad-free #adventure #skincare"
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=NO_APPROVAL)

    publish(scenario, caption)

    post = scenario.last_event()
    assert post.disclosed is False
    assert tuple(post.disclosure_tags) == ()


def test_a_deliverable_of_quantity_two_needs_two_posts(ledger: Ledger, clock: FakeClock) -> None:
    two_posts = terms(deliverables=[deliverable(quantity=2)])
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=two_posts)

    scenario.publish()
    assert scenario.campaign().state is CampaignState.CONCLUDED
    clock.advance(days=2)
    scenario.publish()

    published = [e for e in scenario.events() if type(e).__name__ == "PostPublished"]
    drafts = [e for e in scenario.events() if type(e).__name__ == "DraftSubmitted"]
    assert [p.post_no for p in published] == [1, 2]
    assert [d.draft_no for d in drafts] == [1, 2]
    campaign = scenario.campaign()
    assert campaign.state is CampaignState.DELIVERED
    assert campaign.delivered_at == clock()


def test_a_fully_published_deliverable_takes_no_further_draft(ledger: Ledger) -> None:
    two = terms(deliverables=[deliverable("d1"), deliverable("d2", format="STORY")])
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=two)
    scenario.publish("d1")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        submit(scenario, deliverable_id="d1")
    assert "fully published" in str(error.value)


def test_publishing_every_deliverable_delivers_the_campaign(
    ledger: Ledger, clock: FakeClock
) -> None:
    two = terms(deliverables=[deliverable("d1"), deliverable("d2", format="STORY")])
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=two)

    first_at = clock()
    scenario.publish("d1", at=first_at)
    clock.advance(hours=5)
    scenario.publish("d2", at=clock() - timedelta(hours=1))

    campaign = scenario.campaign()
    assert campaign.state is CampaignState.DELIVERED
    assert campaign.units_published == 2
    assert campaign.delivered_at == clock() - timedelta(hours=1)
    assert campaign.payment_due_on == (clock() - timedelta(hours=1)).date() + timedelta(days=14)


def test_publication_times_are_checked(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=NO_APPROVAL)
    cid = scenario.campaign_id

    def publish_at(moment: object) -> None:
        ledger.execute(
            scenario.creator(),
            PublishPost(
                campaign_id=cid,
                deliverable_id="d1",
                url="https://instagram.com/p/x",
                published_at=moment,
                caption="#ad",
            ),
        )

    with records_nothing(ledger):
        for moment in (clock() + timedelta(hours=1), clock() - timedelta(days=1)):
            with pytest.raises(ValidationError) as error:
                publish_at(moment)
            assert error.value.field == "published_at"
        with pytest.raises(ValidationError) as error:
            publish_at(clock().replace(tzinfo=None))
        assert error.value.field == "published_at"


def record_metrics(scenario: Scenario, **counts: object) -> None:
    values: dict[str, object] = {
        "observed_at": scenario.ledger.clock(),
        "followers": 4_300,
        "likes": 200,
        "comments": 30,
        "shares": 5,
        "saves": 9,
        "reach": 3_000,
    }
    values.update(counts)
    scenario.ledger.execute(
        scenario.creator(),
        RecordPostMetrics(campaign_id=scenario.campaign_id, deliverable_id="d1", **values),
    )


def test_post_metrics_form_a_time_series(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    for likes in (120, 180, 240):
        clock.advance(days=1)
        record_metrics(scenario, likes=likes)

    snapshots = [e for e in scenario.events() if type(e).__name__ == "PostMetricsRecorded"]
    assert [m.likes for m in snapshots] == [120, 180, 240]
    assert [m.observed_at for m in snapshots] == sorted(m.observed_at for m in snapshots)
    assert all((m.deliverable_id, m.post_no) == ("d1", 1) for m in snapshots)
    assert snapshots[0].impressions is None
    assert scenario.campaign().metrics_recorded == 3


def test_counts_are_non_negative_integers(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    fields = ("followers", "likes", "comments", "shares", "saves", "reach", "impressions", "views")

    with records_nothing(ledger):
        for field in fields:
            for value in (-1, 1.5, "12", True):
                with pytest.raises(ValidationError) as error:
                    record_metrics(scenario, **{field: value})
                assert error.value.field == field, (field, value)


def test_metrics_observed_before_publication_are_refused(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        record_metrics(scenario, observed_at=clock() - timedelta(minutes=1))
    assert error.value.field == "observed_at"


def test_metrics_of_an_unpublished_post_are_refused(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        record_metrics(scenario, post_no=2)
    assert error.value.field == "post_no"


def test_metrics_may_follow_the_campaign_after_completion(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "COMPLETED")
    clock.advance(days=30)

    record_metrics(scenario, likes=999)

    assert scenario.last_event().likes == 999
    assert scenario.campaign().state is CampaignState.COMPLETED
