"""What the store keeps across processes and years: state and idempotency after a
restart in a new process, snapshots of long-lived aggregates that load exactly like a
full replay, and old event shapes upcast on load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.application import Ledger
from domain.application.commands import (
    DeclareCauses,
    PublishPost,
    PublishRateCard,
    RecordFollowers,
    RecordGiveawayEntries,
    RecordPostMetrics,
    RegisterBrand,
    SubmitFeedback,
    UpdateBrandProfile,
)
from domain.brand import Brand
from domain.campaign import Campaign
from domain.catalog import CampaignState, CreatorType, Origin, Party, Tier
from domain.context import Actor
from domain.errors import InvalidTransition
from domain.infrastructure.settings import Settings
from tests.domain.builders import (
    CREATOR_RATINGS,
    campaign_at,
    records_nothing,
    register_creator,
    terms,
)
from tests.support import FakeClock

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
    import json
    from domain.application import Ledger
    from domain.application.commands import SignAgreement
    from domain.infrastructure.settings import Settings
    from tests.domain.builders import campaign_at
    from tests.support import FakeClock

    ledger = Ledger(Settings.from_env(), clock=FakeClock())
    scenario = campaign_at(ledger, "ACCEPTED")
    digest = scenario.campaign().terms_digest
    signed = ledger.execute(
        scenario.brand(),
        SignAgreement(campaign_id=scenario.campaign_id, terms_digest=digest),
        idempotency_key="sign-1",
    )
    ledger.close()
    print(json.dumps({
        "brand_id": str(scenario.parties.brand_id),
        "campaign_id": str(scenario.campaign_id),
        "digest": digest,
        "version": signed.version,
    }))
"""

READER = """
    import json, sys
    from uuid import UUID
    from domain.application import Ledger
    from domain.application.commands import SignAgreement
    from domain.context import Actor
    from domain.infrastructure.settings import Settings
    from tests.support import FakeClock

    written = json.loads(sys.argv[1])
    ledger = Ledger(Settings.from_env(), clock=FakeClock())
    cid = UUID(written["campaign_id"])
    before = ledger.recorder.max_notification_id()
    ctx = ledger.context(Actor.brand(written["brand_id"]))
    signing = SignAgreement(campaign_id=cid, terms_digest=written["digest"])
    again = ledger.execute(ctx, signing, idempotency_key="sign-1")
    campaign = ledger.get_campaign(cid)
    print(json.dumps({
        "state": campaign.state.value,
        "version": campaign.version,
        "signed_by": list(campaign.signed_by),
        "replayed": again.replayed,
        "replayed_version": again.version,
        "recorded_nothing": ledger.recorder.max_notification_id() == before,
    }))
    ledger.close()
"""


def run_python(script: str, settings: Settings, *args: str) -> Any:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LEDGER_DATA_DIR": str(settings.data_dir),
        "LEDGER_DATABASE_URL": settings.database_url or "",
    }
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_state_and_idempotency_survive_a_restart_in_a_new_process(
    settings: Settings, clock: FakeClock
) -> None:
    written = run_python(WRITER, settings)

    read = run_python(READER, settings, json.dumps(written))

    assert read == {
        "state": "ACCEPTED",
        "version": written["version"],
        "signed_by": ["BRAND"],
        "replayed": True,
        "replayed_version": written["version"],
        "recorded_nothing": True,
    }
    here = Ledger(settings, clock=clock)
    try:
        campaign = here.get_campaign(UUID(written["campaign_id"]))
        assert campaign.state is CampaignState.ACCEPTED
        assert campaign.terms_digest == written["digest"]
    finally:
        here.close()


def replayed_from_events(ledger: Ledger, aggregate_id: UUID, version: int | None = None) -> Any:
    """The aggregate folded from its events alone, never from a snapshot."""
    aggregate = None
    for event in ledger.events.get(aggregate_id, lte=version):
        aggregate = event.mutate(aggregate)
    return aggregate


def typed_state(aggregate: Any) -> dict[str, tuple[type, Any]]:
    """Every attribute with its type: ``"NATIVE" == Origin.NATIVE`` but they differ here."""
    return {
        name: (type(value), value)
        for name, value in vars(aggregate).items()
        if name != "_pending_events"
    }


def test_a_creator_with_a_long_history_is_snapshotted(settings: Settings, clock: FakeClock) -> None:
    ledger = Ledger(settings, clock=clock)
    creator_id = register_creator(ledger, followers=9_000)
    ctx = lambda: ledger.context(Actor.creator(creator_id))  # noqa: E731
    ledger.execute(ctx(), DeclareCauses(creator_id=creator_id, causes=["literacy"]))
    ledger.execute(
        ctx(),
        PublishRateCard(
            creator_id=creator_id,
            lines=[
                {"platform": "INSTAGRAM", "format": "POST", "price": {"amount": "500000"}},
            ],
        ),
    )
    for step in range(52):
        clock.advance(hours=6)
        ledger.execute(
            ctx(),
            RecordFollowers(
                creator_id=creator_id,
                platform="INSTAGRAM",
                followers=9_000 + 20 * step,
                observed_at=clock(),
            ),
        )
    ledger.close()

    restarted = Ledger(settings, clock=clock)
    try:
        snapshots = list(restarted.snapshots.get(creator_id))
        assert [s.originator_version for s in snapshots] == [50]
        from_snapshot = snapshots[0].mutate(None)
        assert typed_state(from_snapshot) == typed_state(
            replayed_from_events(restarted, creator_id, version=50)
        )
        loaded = restarted.get_creator(creator_id)
        assert loaded.version == 56
        assert typed_state(loaded) == typed_state(replayed_from_events(restarted, creator_id))
        assert loaded.origin is Origin.NATIVE
        assert loaded.tier is Tier.MICRO
        assert loaded.types == (
            CreatorType.NATIVE,
            CreatorType.PURPOSE_DRIVEN,
            CreatorType.PLATFORM_SPECIFIC,
        )
        assert loaded.accounts["INSTAGRAM"]["followers"] == 9_000 + 20 * 51
    finally:
        restarted.close()


def test_a_long_running_campaign_loads_from_its_snapshot_with_its_rules_intact(
    settings: Settings, clock: FakeClock
) -> None:
    ledger = Ledger(settings, clock=clock)
    scenario = campaign_at(ledger, "DELIVERED")
    for likes in range(45):
        clock.advance(hours=1)
        ledger.execute(
            scenario.creator(),
            RecordPostMetrics(
                campaign_id=scenario.campaign_id,
                deliverable_id="d1",
                observed_at=clock(),
                followers=4_300,
                likes=likes,
                comments=1,
            ),
        )
    ledger.close()

    restarted = Ledger(settings, clock=clock)
    try:
        cid = scenario.campaign_id
        assert [s.originator_version for s in restarted.snapshots.get(cid)] == [50]
        campaign = restarted.get_campaign(cid)
        assert typed_state(campaign) == typed_state(replayed_from_events(restarted, cid))
        assert campaign.state is CampaignState.DELIVERED
        assert (campaign.pitched_by, campaign.offered_by) == (Party.BRAND, Party.BRAND)
        assert campaign.signed_by == ("BRAND", "CREATOR")
        as_of = restarted.get_campaign(cid, version=51)
        assert typed_state(as_of) == typed_state(replayed_from_events(restarted, cid, 51))

        creator = restarted.context(Actor.creator(scenario.parties.creator_id))
        with records_nothing(restarted), pytest.raises(InvalidTransition) as error:
            restarted.execute(
                creator,
                PublishPost(
                    campaign_id=cid,
                    deliverable_id="d1",
                    url="https://x.example/2",
                    published_at=clock(),
                    caption="#ad",
                ),
            )
        assert error.value.state == "DELIVERED"
        assert "recordPostMetrics" in error.value.allowed
        assert "while the campaign is DELIVERED" in str(error.value)
        restarted.execute(
            creator, SubmitFeedback(campaign_id=cid, ratings=CREATOR_RATINGS, would_work_again=True)
        )
        with records_nothing(restarted), pytest.raises(InvalidTransition):
            restarted.execute(
                creator,
                SubmitFeedback(campaign_id=cid, ratings=CREATOR_RATINGS, would_work_again=True),
            )
    finally:
        restarted.close()


def test_a_version_1_brand_registration_loads_with_no_causes(
    ledger: Ledger, clock: FakeClock
) -> None:
    brand_id = ledger.new_id()
    old_shape = {
        "originator_topic": get_topic(Brand),
        "timestamp": clock(),
        "actor": "admin:legacy-import",
        "correlation_id": "import-2019",
        "causation_id": None,
        "name": "Warung Lama",
        "industry": "food",
        "website": None,
    }
    ledger.recorder.insert_events(
        [
            StoredEvent(
                originator_id=brand_id,
                originator_version=1,
                topic=get_topic(Brand.Registered),
                state=ledger.mapper.transcoder.encode(old_shape),
            )
        ]
    )

    brand = ledger.get_brand(brand_id)

    assert brand.causes == ()
    assert (brand.name, brand.industry, brand.version) == ("Warung Lama", "food", 1)
    (registered,) = ledger.events.get(brand_id)
    assert list(registered.causes) == []
    assert registered.actor == "admin:legacy-import"
    ledger.execute(
        ledger.context(Actor.brand(brand_id)),
        UpdateBrandProfile(brand_id=brand_id, causes=["umkm"]),
    )
    assert ledger.get_brand(brand_id).causes == ("umkm",)


def test_a_version_1_batch_of_giveaway_entries_loads_with_none_already_in(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = campaign_at(ledger, "CONCLUDED", campaign_terms=terms(giveaway_required=True))
    scenario.announce_giveaway()
    campaign = scenario.campaign()
    old_shape = {
        "timestamp": clock(),
        "actor": f"creator:{scenario.parties.creator_id}",
        "correlation_id": "import-2025",
        "causation_id": None,
        "chain": "",
        "giveaway_id": "g1",
        "entries": ["ayu", "budi"],
    }
    ledger.recorder.insert_events(
        [
            StoredEvent(
                originator_id=campaign.id,
                originator_version=campaign.version + 1,
                topic=get_topic(Campaign.GiveawayEntriesRecorded),
                state=ledger.mapper.transcoder.encode(old_shape),
            )
        ]
    )

    batch = scenario.last_event()
    assert (list(batch.entries), batch.already_in) == (["ayu", "budi"], 0)
    ledger.execute(
        scenario.creator(),
        RecordGiveawayEntries(campaign_id=campaign.id, giveaway_id="g1", entries=["budi", "eka"]),
    )
    (stored,) = ledger.recorder.select_events(campaign.id, desc=True, limit=1)
    state = ledger.mapper.transcoder.decode(stored.state)
    assert (state["class_version"], state["entries"], state["already_in"]) == (2, ["eka"], 1)
    assert ledger.get_campaign(campaign.id).giveaways["g1"]["entries"] == ["ayu", "budi", "eka"]


def test_new_brand_registrations_are_stored_as_version_2(ledger: Ledger) -> None:
    brand_id = ledger.execute(
        ledger.context(Actor.admin()),
        RegisterBrand(name="Purela", industry="beauty", causes=["halal"]),
    ).aggregate_id

    (stored,) = ledger.recorder.select_events(brand_id)
    state = ledger.mapper.transcoder.decode(stored.state)

    assert state["class_version"] == 2
    assert state["causes"] == ["halal"]
    assert isinstance(ledger.get_brand(brand_id), Brand)
    assert not isinstance(ledger.get_brand(brand_id), Campaign)
