"""Value objects and input checks on their own, without a store: money, terms,
ratings, text limits, handles, actors and clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain import validation as v
from domain.catalog import Party
from domain.context import Actor, CommandContext, Role
from domain.errors import InvalidTransition, NotFound, ValidationError
from domain.money import Money, for_display
from domain.ratings import Ratings
from domain.terms import MAX_DELIVERABLES, Terms
from tests.domain.builders import BRAND_RATINGS, CREATOR_RATINGS, deliverable, terms

# --- money --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("500000", Decimal(500000)),
        (500000, Decimal(500000)),
        ("500000.00", Decimal(500000)),
        ("0", Decimal(0)),
    ],
)
def test_money_is_a_decimal_amount_with_a_currency(amount: object, expected: Decimal) -> None:
    money = Money.of(amount, "idr")

    assert (money.amount, money.currency) == (expected, "IDR")
    assert Money.from_json(money.to_json()) == money
    assert Money.of("1").currency == "IDR"


@pytest.mark.parametrize(
    "amount",
    [0.5, 500000.0, True, "-1", "1.234", "lots", "NaN", "Infinity", None, [1], "1000000000001"],
)
def test_money_refuses_anything_but_a_finite_plausible_decimal(amount: object) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(amount, field="price")
    assert error.value.field == "price"


@pytest.mark.parametrize("currency", ["XYZ", "RP", "", None, 360, "idr "])
def test_money_refuses_an_unknown_currency(currency: object) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of("1", currency)
    assert error.value.field == "amount.currency"


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.234", "KWD", Decimal("1.234")),
        ("0.125", "BHD", Decimal("0.125")),
        ("12.50", "USD", Decimal("12.5")),
        (Decimal("0.10"), "USD", Decimal("0.1")),
        ("100", "JPY", Decimal(100)),
        ("500000", "IDR", Decimal(500000)),
    ],
)
def test_an_amount_takes_the_decimal_places_of_its_currency(
    amount: object, currency: str, expected: Decimal
) -> None:
    assert Money.of(amount, currency) == Money(expected, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("1.2345", "KWD", "amount in KWD takes at most 3 decimal places"),
        ("12.345", "USD", "amount in USD takes at most 2 decimal places"),
        ("100.50", "JPY", "amount in JPY takes whole units"),
        ("500000.5", "IDR", "amount in IDR takes whole units"),
    ],
)
def test_an_amount_finer_than_its_currency_is_refused(
    amount: str, currency: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(amount, currency)
    assert (str(error.value), error.value.field) == (message, "amount")


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("716249.9975", "IDR", "716250"),
        ("729166.665", "IDR", "729167"),
        ("2180000.0025", "IDR", "2180000"),
        ("8514.7801", "IDR", "8515"),
        ("2.5", "JPY", "2"),
        ("0.125", "USD", "0.12"),
        ("0.135", "USD", "0.14"),
        ("1.2345", "KWD", "1.234"),
    ],
)
def test_derived_amounts_are_shown_rounded_half_even_to_the_minor_unit(
    amount: str, currency: str, shown: str
) -> None:
    assert for_display(Decimal(amount), currency) == Decimal(shown)


def test_positive_money_refuses_zero() -> None:
    with pytest.raises(ValidationError):
        Money.positive("0")
    assert Money.positive("0.01", "USD").amount == Decimal("0.01")
    assert Money.positive("1").amount == Decimal(1)


def test_money_adds_only_within_one_currency() -> None:
    assert Money.of("1.50", "USD") + Money.of("2", "USD") == Money.of("3.5", "USD")
    with pytest.raises(ValidationError):
        Money.of("1") + Money.of("1", "USD")


# --- terms --------------------------------------------------------------------------


def test_terms_default_to_approval_and_fourteen_days_to_pay() -> None:
    parsed = Terms.create(
        {
            "deliverables": [
                {"platform": "TIKTOK", "format": "SHORT_VIDEO", "due_on": date(2026, 4, 1)}
            ],
            "compensation": {"product_description": "Serum"},
        }
    )

    assert parsed.approval_required is True
    assert parsed.giveaway_required is False
    assert parsed.payment_due_days == 14
    assert (parsed.usage_rights_days, parsed.exclusivity_days) == (0, 0)
    assert parsed.deliverables[0].deliverable_id == "d1"
    assert parsed.deliverables[0].quantity == 1
    assert parsed.compensation.cash is None


def test_terms_round_trip_through_their_json() -> None:
    parsed = Terms.create(
        terms(
            deliverables=[deliverable("d1", quantity=3), deliverable("d2", format="REEL")],
            usage_rights_days=90,
            exclusivity_days=30,
        )
    )

    assert Terms.from_json(parsed.to_json()) == parsed
    assert Terms.from_json(parsed.to_json()).digest == parsed.digest
    assert parsed.units_due == 4


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**terms(), "deliverables": "d1"}, "terms.deliverables"),
        (
            terms(deliverables=[deliverable(f"d{i}") for i in range(MAX_DELIVERABLES + 1)]),
            "terms.deliverables",
        ),
        (terms(deliverables=[deliverable(quantity=51)]), "terms.deliverables[0].quantity"),
        (
            terms(deliverables=[deliverable(due_on=datetime(2026, 4, 1, tzinfo=UTC))]),
            "terms.deliverables[0].due_on",
        ),
        (terms(deliverables=[deliverable("x" * 41)]), "terms.deliverables[0].deliverable_id"),
        ({**terms(), "compensation": {"product_value": {"amount": "1"}}}, "terms.compensation"),
        (
            {
                **terms(),
                "compensation": {
                    "product_description": "Serum",
                    "product_value": {"amount": "1"},
                    "cash": 5,
                },
            },
            "terms.compensation.cash",
        ),
        (
            {**terms(), "compensation": {"other": "x", "product_value": {"amount": "1"}}},
            "terms.compensation.product_value",
        ),
        (terms(giveaway_required=1), "terms.giveaway_required"),
        (terms(payment_due_days=366), "terms.payment_due_days"),
        (terms(usage_rights_days=3651), "terms.usage_rights_days"),
        (terms(exclusivity_days=1.5), "terms.exclusivity_days"),
    ],
)
def test_terms_refuse_malformed_input(data: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        Terms.create(data)
    assert error.value.field == field


# --- ratings ------------------------------------------------------------------------


def test_ratings_keep_the_dimensions_of_the_rater_in_order() -> None:
    brand = Ratings.create(Party.BRAND, dict(reversed(BRAND_RATINGS.items())))
    creator = Ratings.create(Party.CREATOR, CREATOR_RATINGS)

    assert [d for d, _ in brand.scores] == list(BRAND_RATINGS)
    assert brand.mean == pytest.approx(4.6)
    assert creator.as_dict() == CREATOR_RATINGS
    assert Ratings.from_json(creator.to_json()) == creator


@pytest.mark.parametrize("score", [0, 6, -3, 2.5, "4", True, None])
def test_each_rating_is_an_integer_from_one_to_five(score: object) -> None:
    with pytest.raises(ValidationError) as error:
        Ratings.create(Party.CREATOR, {**CREATOR_RATINGS, "brief_clarity": score})
    assert error.value.field == "ratings.brief_clarity"


# --- text, handles, lists, moments ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "limit"),
    [
        ("", v.NAME_MAX),
        ("  \t ", v.NAME_MAX),
        ("x" * (v.NAME_MAX + 1), v.NAME_MAX),
        ("a\x00b", v.NAME_MAX),
        (7, v.NAME_MAX),
        (b"bytes", v.NAME_MAX),
        ("x" * (v.CAPTION_MAX + 1), v.CAPTION_MAX),
        ("x" * (v.TEXT_MAX + 1), v.TEXT_MAX),
    ],
)
def test_text_is_a_non_empty_string_within_its_limit(value: object, limit: int) -> None:
    with pytest.raises(ValidationError) as error:
        v.text(value, "title", max_len=limit)
    assert error.value.field == "title"


def test_text_is_trimmed_and_may_reach_its_limit() -> None:
    assert v.text("  Purela  ", "name") == "Purela"
    assert v.text("x" * v.NAME_MAX, "name") == "x" * v.NAME_MAX
    assert v.optional_text("   ", "comment") is None


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("@Sari.Nano", "sari.nano"), ("fan_1-x", "fan_1-x"), ("A" * 64, "a" * 64)],
)
def test_handles_are_normalised(raw: str, normalised: str) -> None:
    assert v.handle(raw) == normalised


@pytest.mark.parametrize("raw", ["", "@", "sari nano", "sari!", "x" * 65, "@@sari", "ñandú"])
def test_malformed_handles_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        v.handle(raw)


@pytest.mark.parametrize("value", ["abc", b"abc", {"a": 1}, None, 5])
def test_a_list_is_not_a_string_a_mapping_or_a_scalar(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        v.items(value, "entries")
    assert error.value.field == "entries"
    assert v.items(("a", "b"), "entries") == ["a", "b"]


def test_tags_are_lower_case_and_unique_in_order() -> None:
    assert v.tags(["Beauty", "beauty ", "Halal"], "niches") == ("beauty", "halal")


@pytest.mark.parametrize(
    "url", ["ftp://x.example", "https://", "instagram.com/p/1", "javascript:x"]
)
def test_urls_are_http_with_a_host(url: str) -> None:
    with pytest.raises(ValidationError):
        v.url(url)


def test_moments_carry_a_timezone_and_are_kept_in_utc() -> None:
    with pytest.raises(ValidationError):
        v.moment(datetime(2026, 3, 2, 9), "at")
    with pytest.raises(ValidationError):
        v.moment("2026-03-02T09:00:00Z", "at")
    jakarta = datetime.fromisoformat("2026-03-02T16:00:00+07:00")
    assert v.moment(jakarta, "at") == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert v.moment(jakarta, "at").tzinfo is UTC


# --- actors, contexts, errors -------------------------------------------------------


@pytest.mark.parametrize(
    "actor", [Actor.brand("b-1"), Actor.creator("c-1"), Actor.admin(), Actor.system()]
)
def test_an_actor_is_recorded_as_role_and_id(actor: Actor) -> None:
    assert Actor.parse(str(actor)) == actor
    assert str(Actor.system()) == "system"
    assert Actor.parse("brand:b-1").role is Role.BRAND


def test_a_command_context_refuses_a_naive_clock() -> None:
    with pytest.raises(ValidationError):
        CommandContext.create(Actor.admin(), lambda: datetime(2026, 3, 2, 9))
    ctx = CommandContext.create(Actor.admin(), lambda: datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert ctx.correlation_id
    assert ctx.caused_by("x/1").causation_id == "x/1"


def test_errors_carry_their_code_and_what_is_allowed() -> None:
    error = InvalidTransition("acceptPitch", "DECLINED", [])

    assert error.code.value == "INVALID_TRANSITION"
    assert str(error) == "cannot acceptPitch while the campaign is DECLINED; allowed now: none"
    assert NotFound("campaign", "42").message == "campaign 42 not found"
