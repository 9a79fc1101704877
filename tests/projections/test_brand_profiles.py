"""Brand profiles, driven through the real Ledger on every backend."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.application.commands import RegisterBrand, UpdateBrandProfile
from domain.brand import Brand
from projections.brand_profiles.projection import BrandProfiles
from projections.brand_profiles.queries import BrandProfile, brand_profiles
from tests.ledger_driver import LedgerDriver


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(BrandProfiles())


def test_a_profile_mirrors_the_brands_registration(world: LedgerDriver) -> None:
    brand_id = world.ledger.execute(
        world.admin,
        RegisterBrand(
            name="Purela",
            industry="Beauty",
            causes=["Clean Beauty", "halal"],
            website="https://purela.example",
        ),
    ).aggregate_id
    world.catch_up()

    assert brand_profiles(world.store, [brand_id]) == {
        brand_id: BrandProfile(
            brand_id=brand_id,
            name="Purela",
            industry="beauty",
            causes=("clean beauty", "halal"),
            website="https://purela.example",
            registered_at=world.clock(),
            updated_at=world.clock(),
            version=1,
        )
    }


def test_each_update_replaces_the_profile_and_moves_the_version(world: LedgerDriver) -> None:
    brand_id = world.brand("Purela")
    registered_at = world.clock()
    world.clock.advance(days=3)
    world.ledger.execute(
        world.brand_ctx(brand_id), UpdateBrandProfile(brand_id=brand_id, causes=["ocean plastic"])
    )
    world.clock.advance(days=1)
    world.ledger.execute(
        world.brand_ctx(brand_id),
        UpdateBrandProfile(brand_id=brand_id, name="Purela Indonesia", website="https://p.id"),
    )
    world.catch_up()

    profile = brand_profiles(world.store, [brand_id])[brand_id]

    brand = world.ledger.get_brand(brand_id)
    assert (profile.name, profile.industry, profile.causes, profile.website) == (
        "Purela Indonesia",
        "beauty",
        ("ocean plastic",),
        "https://p.id",
    )
    assert (profile.registered_at, profile.updated_at) == (registered_at, world.clock())
    assert (profile.registered_at, profile.updated_at) == (brand.created_on, brand.modified_on)
    assert profile.version == brand.version == 3


def test_a_batch_returns_the_brands_it_has_seen_and_leaves_out_the_rest(
    world: LedgerDriver,
) -> None:
    brands = {world.brand(f"Brand {number}"): f"Brand {number}" for number in range(30)}
    world.catch_up()
    later = world.brand("Registered after the catch-up")

    found = brand_profiles(world.store, [*brands, later, uuid4(), *brands])

    assert {brand_id: profile.name for brand_id, profile in found.items()} == brands
    assert brand_profiles(world.store, []) == {}


def test_a_version_1_registration_has_no_causes(world: LedgerDriver) -> None:
    brand_id = world.ledger.new_id()
    legacy = {
        "originator_topic": get_topic(Brand),
        "timestamp": world.clock(),
        "actor": "admin:legacy-import",
        "correlation_id": "import-2019",
        "causation_id": None,
        "name": "Warung Lama",
        "industry": "food",
        "website": None,
    }
    world.ledger.recorder.insert_events(
        [
            StoredEvent(
                originator_id=brand_id,
                originator_version=1,
                topic=get_topic(Brand.Registered),
                state=world.ledger.mapper.transcoder.encode(legacy),
            )
        ]
    )
    world.catch_up()

    profile = brand_profiles(world.store, [brand_id])[brand_id]

    assert (profile.name, profile.causes, profile.website, profile.version) == (
        "Warung Lama",
        (),
        None,
        1,
    )


def test_the_profiles_equal_a_rebuild_from_the_events(world: LedgerDriver) -> None:
    first, second = world.brand("Purela"), world.brand("Kopi Kita", industry="food")
    world.ledger.execute(
        world.brand_ctx(first), UpdateBrandProfile(brand_id=first, causes=["halal", "zero waste"])
    )
    world.ledger.execute(
        world.brand_ctx(second), UpdateBrandProfile(brand_id=second, website="https://kopi.id")
    )
    world.catch_up()
    before = brand_profiles(world.store, [first, second])

    assert world.read_side.verify() == []
    world.read_side.rebuild("brand_profiles")
    assert brand_profiles(world.store, [first, second]) == before
