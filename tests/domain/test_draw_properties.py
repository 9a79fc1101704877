"""Properties of the pure functions behind the ledger's promises: the giveaway draw,
the terms digest, tier and creator types, and disclosure detection."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.catalog import ContentFormat, CreatorType, Origin, Platform, Tier
from domain.disclosure import DISCLOSURE_TAGS, disclosure_tags, is_disclosed
from domain.errors import ValidationError
from domain.giveaway_draw import (
    check_commitment,
    check_seed,
    commitment_for,
    draw_winners,
    entries_digest,
)
from domain.profile import creator_types, tier_for
from domain.terms import Terms

bounded = hypothesis_settings(max_examples=60, deadline=None)

handles = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12)
entry_lists = st.lists(handles, min_size=1, max_size=40)
seeds = st.text(min_size=16, max_size=64)
winner_counts = st.integers(min_value=1, max_value=50)

# --- the giveaway draw ----------------------------------------------------------------


@bounded
@given(seed=seeds, entries=entry_lists, winner_count=winner_counts)
def test_winners_are_distinct_entrants_as_many_as_asked_or_all(
    seed: str, entries: list[str], winner_count: int
) -> None:
    winners = draw_winners(seed, entries, winner_count)

    assert set(winners) <= set(entries)
    assert len(set(winners)) == len(winners)
    assert len(winners) == min(winner_count, len(set(entries)))


@bounded
@given(seed=seeds, entries=entry_lists, winner_count=winner_counts, shuffle_seed=st.integers())
def test_the_draw_depends_only_on_seed_entry_set_and_count(
    seed: str, entries: list[str], winner_count: int, shuffle_seed: int
) -> None:
    rearranged = entries + entries[: len(entries) // 2]
    random.Random(shuffle_seed).shuffle(rearranged)

    assert draw_winners(seed, entries, winner_count) == draw_winners(seed, entries, winner_count)
    assert draw_winners(seed, rearranged, winner_count) == draw_winners(seed, entries, winner_count)
    assert entries_digest(rearranged) == entries_digest(entries)


@bounded
@given(seed=seeds, entries=entry_lists, winner_count=winner_counts)
def test_fewer_winners_are_a_prefix_of_more(
    seed: str, entries: list[str], winner_count: int
) -> None:
    more = draw_winners(seed, entries, winner_count + 1)

    assert draw_winners(seed, entries, winner_count) == more[:winner_count]


def test_the_draw_is_the_published_recipe() -> None:
    entries = ["rina", "budi", "sari", "agus"]
    seed = "a-very-secret-seed-0123"

    def rank(entry: str) -> bytes:
        return hashlib.sha256(seed.encode() + b"\x00" + entry.encode()).digest()

    expected = tuple(sorted(sorted(set(entries)), key=lambda e: (rank(e), e))[:2])
    assert draw_winners(seed, entries, 2) == expected
    assert (
        entries_digest(entries)
        == hashlib.sha256(json.dumps(sorted(entries), separators=(",", ":")).encode()).hexdigest()
    )


def test_every_entry_is_equally_likely_to_win() -> None:
    """Chi-square over 5,000 fixed seeds for 10 entries and one winner: deterministic, so
    it cannot flake; the bound (40, df=9) is far above the 0.1 % critical value 27.9."""
    entries = [f"fan{i}" for i in range(10)]
    wins = Counter(draw_winners(f"fixed-seed-{n:06d}", entries, 1)[0] for n in range(5_000))

    expected = 5_000 / len(entries)
    chi_square = sum((wins[e] - expected) ** 2 / expected for e in entries)
    assert set(wins) == set(entries)
    assert chi_square < 40


def test_every_entry_is_equally_likely_to_be_among_three_winners() -> None:
    entries = [f"fan{i}" for i in range(12)]
    picks = Counter(w for n in range(3_000) for w in draw_winners(f"s-{n:08d}-xyz", entries, 3))

    expected = 3_000 * 3 / len(entries)
    chi_square = sum((picks[e] - expected) ** 2 / expected for e in entries)
    assert chi_square < 45


def test_a_draw_needs_a_winner_and_a_proper_seed() -> None:
    with pytest.raises(ValidationError):
        draw_winners("a-very-secret-seed-0123", ["a"], 0)
    for seed in ("short", "x" * 201, 12345):
        with pytest.raises(ValidationError):
            check_seed(seed)
    assert check_commitment(commitment_for("x" * 16).upper()) == commitment_for("x" * 16)
    assert commitment_for("seed") == hashlib.sha256(b"seed").hexdigest()


# --- the terms digest -------------------------------------------------------------------

deliverables = st.lists(
    st.fixed_dictionaries(
        {
            "platform": st.sampled_from([p.value for p in Platform]),
            "format": st.sampled_from([f.value for f in ContentFormat]),
            "quantity": st.integers(min_value=1, max_value=50),
            "due_on": st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
        }
    ),
    min_size=1,
    max_size=4,
)
amounts = st.decimals(min_value=1, max_value=10**9, places=0).map(str)
terms_input = st.fixed_dictionaries(
    {
        "deliverables": deliverables,
        "compensation": st.fixed_dictionaries(
            {"cash": st.fixed_dictionaries({"amount": amounts, "currency": st.just("IDR")})},
            optional={"product_description": st.just("Serum 30 ml"), "other": st.just("travel")},
        ),
        "giveaway_required": st.booleans(),
        "approval_required": st.booleans(),
        "payment_due_days": st.integers(min_value=0, max_value=365),
        "usage_rights_days": st.integers(min_value=0, max_value=3650),
        "exclusivity_days": st.integers(min_value=0, max_value=3650),
    }
)


def reordered(value: Any, rng: random.Random) -> Any:
    """The same value with every mapping's keys in another order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: reordered(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [reordered(item, rng) for item in value]
    return value


@bounded
@given(data=terms_input, shuffle_seed=st.integers())
def test_the_terms_digest_ignores_key_order(data: dict[str, Any], shuffle_seed: int) -> None:
    digest = Terms.create(data).digest

    assert Terms.create(reordered(data, random.Random(shuffle_seed))).digest == digest
    assert Terms.from_json(Terms.create(data).to_json()).digest == digest


@bounded
@given(data=terms_input)
def test_the_terms_digest_is_sha256_of_the_canonical_json(data: dict[str, Any]) -> None:
    parsed = Terms.create(data)
    canonical = json.dumps(parsed.to_json(), sort_keys=True, separators=(",", ":"))

    assert parsed.digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _changes(data: dict[str, Any]) -> list[dict[str, Any]]:
    first = data["deliverables"][0]
    other_platform = next(p.value for p in Platform if p.value != first["platform"])
    other_format = next(f.value for f in ContentFormat if f.value != first["format"])
    cash = data["compensation"]["cash"]

    def with_first(**change: Any) -> dict[str, Any]:
        return {**data, "deliverables": [{**first, **change}, *data["deliverables"][1:]]}

    return [
        with_first(platform=other_platform),
        with_first(format=other_format),
        with_first(quantity=first["quantity"] % 50 + 1),
        with_first(due_on=first["due_on"] + timedelta(days=1)),
        with_first(deliverable_id="other"),
        {**data, "deliverables": [*data["deliverables"], {**first, "deliverable_id": "extra"}]},
        {
            **data,
            "compensation": {
                **data["compensation"],
                "cash": {**cash, "amount": str(Decimal(cash["amount"]) + 1)},
            },
        },
        {**data, "compensation": {**data["compensation"], "cash": {**cash, "currency": "USD"}}},
        {**data, "compensation": {**data["compensation"], "other": "a different extra"}},
        {**data, "giveaway_required": not data["giveaway_required"]},
        {**data, "approval_required": not data["approval_required"]},
        {**data, "payment_due_days": (data["payment_due_days"] + 1) % 366},
        {**data, "usage_rights_days": (data["usage_rights_days"] + 1) % 3651},
        {**data, "exclusivity_days": (data["exclusivity_days"] + 1) % 3651},
    ]


@bounded
@given(data=terms_input)
def test_the_terms_digest_changes_when_any_field_changes(data: dict[str, Any]) -> None:
    digest = Terms.create(data).digest
    original = Terms.create(data)

    for changed in _changes(data):
        parsed = Terms.create(changed)
        assert parsed != original
        assert parsed.digest != digest, changed


# --- tier and creator types ------------------------------------------------------------


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (0, Tier.EMERGING),
        (999, Tier.EMERGING),
        (1_000, Tier.NANO),
        (9_999, Tier.NANO),
        (10_000, Tier.MICRO),
        (99_999, Tier.MICRO),
        (100_000, Tier.MACRO),
        (999_999, Tier.MACRO),
        (1_000_000, Tier.MEGA),
        (50_000_000, Tier.MEGA),
    ],
)
def test_tier_thresholds(followers: int, tier: Tier) -> None:
    assert tier_for([followers]) is tier


def test_a_creator_without_accounts_is_emerging() -> None:
    assert tier_for([]) is Tier.EMERGING


follower_counts = st.integers(min_value=0, max_value=5_000_000)


@bounded
@given(a=follower_counts, b=follower_counts)
def test_tier_never_falls_as_followers_grow(a: int, b: int) -> None:
    order = list(Tier)
    low, high = sorted((a, b))

    assert order.index(tier_for([low])) <= order.index(tier_for([high]))


@bounded
@given(accounts=st.lists(follower_counts, min_size=1, max_size=7))
def test_tier_comes_from_the_largest_platform(accounts: list[int]) -> None:
    assert tier_for(accounts) is tier_for([max(accounts)])


@bounded
@given(
    origin=st.sampled_from(list(Origin)),
    causes=st.lists(st.text(min_size=1, max_size=10), max_size=3),
    accounts=st.lists(follower_counts, max_size=7),
)
def test_creator_types_are_the_origin_the_causes_and_the_platform_spread(
    origin: Origin, causes: list[str], accounts: list[int]
) -> None:
    types = creator_types(origin, causes, accounts)
    active = sum(1 for count in accounts if count >= 1_000)

    assert types[0] is CreatorType(origin.value)
    assert (CreatorType.PURPOSE_DRIVEN in types) == bool(causes)
    assert (CreatorType.PLATFORM_SPECIFIC in types) == (active == 1)
    assert (CreatorType.MULTI_PLATFORM in types) == (active >= 2)
    assert len(types) == len(set(types))


# --- disclosure -------------------------------------------------------------------------

words = st.text(alphabet=st.characters(blacklist_characters="#＃"), max_size=40)


@st.composite
def spelled(draw: st.DrawFn, tag: str) -> str:
    """A tag as people type it: any letter case, separators here and there."""
    out = []
    for index, char in enumerate(tag):
        if index and draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(st.sampled_from(["_", "-"])))
        out.append(char.upper() if draw(st.booleans()) else char)
    return "".join(out)


@bounded
@given(data=st.data(), tag=st.sampled_from(sorted(DISCLOSURE_TAGS)), before=words, after=words)
def test_a_disclosure_tag_is_found_in_any_spelling(
    data: st.DataObject, tag: str, before: str, after: str
) -> None:
    caption = f"{before} #{data.draw(spelled(tag))} {after}"

    assert tag in disclosure_tags(caption)
    assert is_disclosed(caption, paid_partnership_flag=False)


@bounded
@given(caption=words)
def test_a_caption_without_hashtags_is_disclosed_only_by_the_flag(caption: str) -> None:
    assert not is_disclosed(caption, paid_partnership_flag=False)
    assert is_disclosed(caption, paid_partnership_flag=True)


@pytest.mark.parametrize(
    "caption",
    ["#adventure", "#iklanku", "#sponsoredlife", "ad iklan sponsored", "#endorsement_deal"],
)
def test_lookalike_tags_and_bare_words_are_not_disclosure(caption: str) -> None:
    assert disclosure_tags(caption) == ()


@pytest.mark.parametrize(
    ("caption", "tags"),
    [
        ("Cantik! #Iklan", ("iklan",)),
        ("#KERJA_SAMA dengan @purela", ("kerjasama",)),
        ("#kerja-sama #PaidPromote", ("kerjasama", "paidpromote")),
        ("Full-width ＃Endorse", ("endorse",)),
        ("#Disponsori oleh Purela", ("disponsori",)),
        ("#ad, #sponsored.", ("ad", "sponsored")),
    ],
)
def test_indonesian_and_english_disclosure_tags(caption: str, tags: tuple[str, ...]) -> None:
    assert disclosure_tags(caption) == tags
