"""Brands, creators and briefs: registration by admins, unique handles, platform
accounts and their following, rate cards, causes, tier and creator types."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.application import Ledger
from domain.application.commands import (
    CloseBrief,
    DeclareCauses,
    LinkPlatformAccount,
    PublishBrief,
    PublishRateCard,
    RecordFollowers,
    RegisterBrand,
    RegisterCreator,
    UpdateBrandProfile,
)
from domain.catalog import CreatorType, Origin, Platform, Tier
from domain.context import Actor
from domain.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationError
from domain.money import Money
from domain.profile import RateCardLine
from tests.domain.builders import records_nothing, register_brand, register_creator
from tests.support import FakeClock


def test_an_admin_registers_a_brand(ledger: Ledger) -> None:
    result = ledger.execute(
        ledger.context(Actor.admin("ops-1")),
        RegisterBrand(
            name="  Purela  ",
            industry="Beauty",
            causes=["Clean Beauty", "clean beauty", "Zero Waste"],
            website="https://purela.example",
        ),
    )

    brand = ledger.get_brand(result.aggregate_id)
    assert (brand.name, brand.industry) == ("Purela", "beauty")
    assert brand.causes == ("clean beauty", "zero waste")
    assert brand.website == "https://purela.example"
    (registered,) = ledger.events.get(result.aggregate_id)
    assert registered.actor == "admin:ops-1"
    assert result.version == 1


def test_only_admins_register_brands_and_creators(ledger: Ledger) -> None:
    with records_nothing(ledger):
        for actor in (Actor.brand("b-1"), Actor.creator("c-1"), Actor.auditor()):
            ctx = ledger.context(actor)
            with pytest.raises(Forbidden):
                ledger.execute(ctx, RegisterBrand(name="Purela", industry="Beauty"))
            with pytest.raises(Forbidden):
                ledger.execute(
                    ctx,
                    RegisterCreator(
                        handle="sari", display_name="Sari", niches=["beauty"], origin="NATIVE"
                    ),
                )


def test_a_brand_updates_its_own_profile_only(ledger: Ledger) -> None:
    brand_id = register_brand(ledger)
    rival_id = register_brand(ledger, "Rival")

    ledger.execute(
        ledger.context(Actor.brand(brand_id)),
        UpdateBrandProfile(brand_id=brand_id, causes=["halal"]),
    )

    brand = ledger.get_brand(brand_id)
    assert (brand.name, brand.causes) == ("Purela", ("halal",))
    with records_nothing(ledger), pytest.raises(NotFound):
        ledger.execute(
            ledger.context(Actor.brand(rival_id)),
            UpdateBrandProfile(brand_id=brand_id, name="Mine now"),
        )


def test_a_creator_handle_is_normalised_and_unique(ledger: Ledger) -> None:
    admin = ledger.context(Actor.admin())
    creator_id = ledger.execute(
        admin,
        RegisterCreator(
            handle="@Sari.Nano", display_name="Sari", niches=["Beauty"], origin="NATIVE"
        ),
    ).aggregate_id

    creator = ledger.get_creator(creator_id)
    assert (creator.handle, creator.niches, creator.origin) == (
        "sari.nano",
        ("beauty",),
        Origin.NATIVE,
    )
    assert (creator.country, creator.languages) == ("ID", ("id",))
    with records_nothing(ledger), pytest.raises(Conflict) as error:
        ledger.execute(
            admin,
            RegisterCreator(
                handle="SARI.NANO", display_name="Imposter", niches=[], origin="NON_NATIVE"
            ),
        )
    assert error.value.field == "handle"


def test_a_creator_links_one_account_per_platform(ledger: Ledger) -> None:
    creator_id = register_creator(ledger, followers=4_200)
    ctx = ledger.context(Actor.creator(creator_id))

    ledger.execute(
        ctx,
        LinkPlatformAccount(
            creator_id=creator_id, platform="TIKTOK", handle="sari.tt", followers=800
        ),
    )

    accounts = ledger.get_creator(creator_id).accounts
    assert {p: a["followers"] for p, a in accounts.items()} == {"INSTAGRAM": 4_200, "TIKTOK": 800}
    with records_nothing(ledger), pytest.raises(Conflict) as error:
        ledger.execute(
            ctx,
            LinkPlatformAccount(creator_id=creator_id, platform="TIKTOK", handle="x", followers=1),
        )
    assert error.value.field == "platform"


def test_only_the_creator_changes_its_profile(ledger: Ledger) -> None:
    creator_id = register_creator(ledger)
    other = ledger.context(Actor.creator(register_creator(ledger, "other")))
    brand = ledger.context(Actor.brand(register_brand(ledger)))

    with records_nothing(ledger):
        for ctx in (other, brand):
            with pytest.raises(NotFound):
                ledger.execute(ctx, DeclareCauses(creator_id=creator_id, causes=["forests"]))


def test_followers_are_recorded_as_observations_in_time(ledger: Ledger, clock: FakeClock) -> None:
    creator_id = register_creator(ledger, followers=4_200)
    ctx = lambda: ledger.context(Actor.creator(creator_id))  # noqa: E731
    start = clock()

    clock.advance(days=7)
    ledger.execute(
        ctx(),
        RecordFollowers(
            creator_id=creator_id, platform="INSTAGRAM", followers=4_900, observed_at=clock()
        ),
    )
    ledger.execute(
        ctx(),
        RecordFollowers(
            creator_id=creator_id,
            platform="INSTAGRAM",
            followers=4_500,
            observed_at=start + timedelta(days=3),
        ),
    )

    account = ledger.get_creator(creator_id).accounts["INSTAGRAM"]
    assert (account["followers"], account["observed_at"]) == (4_900, clock())
    recorded = [e for e in ledger.events.get(creator_id) if type(e).__name__ == "FollowersRecorded"]
    assert [(e.followers, e.observed_at) for e in recorded] == [
        (4_900, clock()),
        (4_500, start + timedelta(days=3)),
    ]


def test_followers_of_an_unlinked_platform_are_refused(ledger: Ledger) -> None:
    creator_id = register_creator(ledger)

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            ledger.context(Actor.creator(creator_id)),
            RecordFollowers(
                creator_id=creator_id, platform="YOUTUBE", followers=10, observed_at=ledger.clock()
            ),
        )
    assert error.value.field == "platform"


def test_each_rate_card_publication_is_a_new_version(ledger: Ledger) -> None:
    creator_id = register_creator(ledger)
    ctx = ledger.context(Actor.creator(creator_id))
    post = {"platform": "INSTAGRAM", "format": "POST", "price": {"amount": "500000"}}
    reel = {
        "platform": "INSTAGRAM",
        "format": "REEL",
        "price": Money.of("750000"),
        "compensation": "MIXED",
    }

    ledger.execute(ctx, PublishRateCard(creator_id=creator_id, lines=[post]))
    ledger.execute(ctx, PublishRateCard(creator_id=creator_id, lines=[post, reel]))

    creator = ledger.get_creator(creator_id)
    assert creator.rate_card_version == 2
    assert [line.format.value for line in creator.rate_card] == ["POST", "REEL"]
    assert creator.rate_card[1] == RateCardLine.create(reel, 1)
    cards = [e for e in ledger.events.get(creator_id) if type(e).__name__ == "RateCardPublished"]
    assert [c.card_version for c in cards] == [1, 2]


def test_a_rate_card_prices_linked_platforms_once_per_format(ledger: Ledger) -> None:
    creator_id = register_creator(ledger)
    ctx = ledger.context(Actor.creator(creator_id))
    post = {"platform": "INSTAGRAM", "format": "POST", "price": {"amount": "500000"}}

    with records_nothing(ledger):
        with pytest.raises(ValidationError) as error:
            ledger.execute(
                ctx, PublishRateCard(creator_id=creator_id, lines=[{**post, "platform": "YOUTUBE"}])
            )
        assert error.value.field == "lines[0].platform"
        with pytest.raises(ValidationError) as error:
            ledger.execute(ctx, PublishRateCard(creator_id=creator_id, lines=[post, post]))
        assert error.value.field == "lines"


def test_tier_follows_the_largest_platform(ledger: Ledger) -> None:
    creator_id = register_creator(ledger, followers=999)
    ctx = ledger.context(Actor.creator(creator_id))
    assert ledger.get_creator(creator_id).tier is Tier.EMERGING

    ledger.execute(
        ctx,
        LinkPlatformAccount(creator_id=creator_id, platform="TIKTOK", handle="s", followers=12_000),
    )

    assert ledger.get_creator(creator_id).tier is Tier.MICRO


def test_creator_types_are_declared_and_derived(ledger: Ledger) -> None:
    creator_id = register_creator(ledger, followers=4_200)
    ctx = ledger.context(Actor.creator(creator_id))
    assert ledger.get_creator(creator_id).types == (
        CreatorType.NATIVE,
        CreatorType.PLATFORM_SPECIFIC,
    )

    ledger.execute(ctx, DeclareCauses(creator_id=creator_id, causes=["Mangrove restoration"]))
    ledger.execute(
        ctx,
        LinkPlatformAccount(creator_id=creator_id, platform="YOUTUBE", handle="s", followers=1_000),
    )

    creator = ledger.get_creator(creator_id)
    assert creator.causes == ("mangrove restoration",)
    assert creator.types == (
        CreatorType.NATIVE,
        CreatorType.PURPOSE_DRIVEN,
        CreatorType.MULTI_PLATFORM,
    )
    assert set(creator.followers_by_platform) == {Platform.INSTAGRAM, Platform.YOUTUBE}


def test_a_brand_publishes_and_closes_its_brief(ledger: Ledger, clock: FakeClock) -> None:
    brand_id = register_brand(ledger)
    ctx = ledger.context(Actor.brand(brand_id))
    brief_id = ledger.execute(
        ctx,
        PublishBrief(
            brand_id=brand_id,
            title="Ramadan glow",
            objective="Awareness",
            key_messages=["halal"],
            niches=["Beauty"],
            platforms=["INSTAGRAM", "INSTAGRAM", "TIKTOK"],
            budget=Money.of("20000000"),
            starts_on=clock().date(),
            ends_on=clock().date() + timedelta(days=30),
        ),
    ).aggregate_id

    brief = ledger.get_brief(brief_id)
    assert brief.platforms == (Platform.INSTAGRAM, Platform.TIKTOK)
    assert brief.is_open(clock().date())
    ledger.execute(ctx, CloseBrief(brief_id=brief_id, reason="enough creators"))
    assert not ledger.get_brief(brief_id).is_open(clock().date())
    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(ctx, CloseBrief(brief_id=brief_id))
    assert error.value.state == "CLOSED"


def test_briefs_belong_to_their_brand(ledger: Ledger, clock: FakeClock) -> None:
    brand_id = register_brand(ledger)
    rival = ledger.context(Actor.brand(register_brand(ledger, "Rival")))
    dates = {"starts_on": clock().date(), "ends_on": clock().date() + timedelta(days=5)}
    brief_id = ledger.execute(
        ledger.context(Actor.brand(brand_id)),
        PublishBrief(brand_id=brand_id, title="t", objective="o", **dates),
    ).aggregate_id

    with records_nothing(ledger):
        with pytest.raises(NotFound):
            ledger.execute(
                rival, PublishBrief(brand_id=brand_id, title="t", objective="o", **dates)
            )
        with pytest.raises(NotFound):
            ledger.execute(rival, CloseBrief(brief_id=brief_id))
