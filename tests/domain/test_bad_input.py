"""Bad input through the application service: every case is a typed error, names the
field at fault where there is one, and leaves the event store exactly as it was."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    AnnounceGiveaway,
    DeclareCauses,
    LinkPlatformAccount,
    PitchCampaign,
    PublishBrief,
    PublishPost,
    PublishRateCard,
    RecordFollowers,
    RecordGiveawayEntries,
    RecordPayment,
    RegisterBrand,
    RegisterCreator,
    ReportSalesUplift,
    SubmitDraft,
    SubmitFeedback,
    UpdateBrandProfile,
)
from domain.context import Actor, CommandContext
from domain.errors import Conflict, LedgerError, NotFound, ValidationError
from domain.money import Money
from domain.validation import CAPTION_MAX, NAME_MAX, TEXT_MAX
from tests.domain.builders import (
    BRAND_RATINGS,
    Parties,
    Scenario,
    campaign_at,
    deliverable,
    records_nothing,
    register_parties,
    terms,
)

Attempt = Callable[[], Any]
_numbers = itertools.count()
Setup = Callable[[Ledger], Attempt]


def admin(ledger: Ledger) -> CommandContext:
    return ledger.context(Actor.admin())


def brand_with(**changes: Any) -> Setup:
    values = {"name": "Purela", "industry": "Beauty", "website": None, **changes}
    return lambda ledger: lambda: ledger.execute(admin(ledger), RegisterBrand(**values))


def creator_with(**changes: Any) -> Setup:
    values = {"handle": "sari", "display_name": "Sari", "niches": ["beauty"], "origin": "NATIVE"}
    values.update(changes)
    return lambda ledger: lambda: ledger.execute(admin(ledger), RegisterCreator(**values))


def fresh_parties(ledger: Ledger) -> Parties:
    """Parties of their own, since the cases of an area share one store."""
    return register_parties(ledger, handle=f"creator{next(_numbers)}")


def on_creator(command: Callable[[Ledger, Parties], Any]) -> Setup:
    def setup(ledger: Ledger) -> Attempt:
        parties = fresh_parties(ledger)
        return lambda: command(ledger, parties)

    return setup


def rate_line(**changes: Any) -> dict[str, Any]:
    return {"platform": "INSTAGRAM", "format": "POST", "price": {"amount": "500000"}, **changes}


def rate_card(*lines: Any) -> Setup:
    return on_creator(
        lambda ledger, p: ledger.execute(
            p.creator(), PublishRateCard(creator_id=p.creator_id, lines=list(lines))
        )
    )


def brief_with(**changes: Any) -> Setup:
    def command(ledger: Ledger, p: Parties) -> Any:
        today = ledger.clock().date()
        values: dict[str, Any] = {
            "title": "Ramadan glow",
            "objective": "Awareness",
            "starts_on": today,
            "ends_on": today + timedelta(days=30),
            **changes,
        }
        return ledger.execute(p.brand(), PublishBrief(brand_id=p.brand_id, **values))

    return on_creator(command)


def pitch_with(terms_value: Any = None, **changes: Any) -> Setup:
    def command(ledger: Ledger, p: Parties) -> Any:
        values = {
            "brand_id": p.brand_id,
            "creator_id": p.creator_id,
            "terms": terms() if terms_value is None else terms_value,
            "message": "Hello",
            **changes,
        }
        key = values.pop("idempotency_key", None)
        return ledger.execute(p.brand(), PitchCampaign(**values), idempotency_key=key)

    return on_creator(command)


def one_deliverable(**changes: Any) -> Setup:
    return pitch_with(terms(deliverables=[{**deliverable(), **changes}]))


def cash(amount: Any, currency: Any = "IDR") -> Setup:
    return pitch_with(
        {**terms(), "compensation": {"cash": {"amount": amount, "currency": currency}}}
    )


def on_campaign(
    stage: str, command: Callable[[Ledger, Scenario], Any], **terms_changes: Any
) -> Setup:
    def setup(ledger: Ledger) -> Attempt:
        scenario = campaign_at(
            ledger, stage, campaign_terms=terms(**terms_changes), parties=fresh_parties(ledger)
        )
        if terms_changes.get("giveaway_required"):
            scenario.announce_giveaway()
        return lambda: command(ledger, scenario)

    return setup


def draft_with(**changes: Any) -> Setup:
    values = {"deliverable_id": "d1", "caption": "Draft", "pros": ["a"], "cons": ["b"], **changes}
    return on_campaign(
        "CONCLUDED",
        lambda ledger, s: ledger.execute(
            s.creator(), SubmitDraft(campaign_id=s.campaign_id, **values)
        ),
    )


def post_with(**changes: Any) -> Setup:
    def command(ledger: Ledger, s: Scenario) -> Any:
        values = {
            "deliverable_id": "d1",
            "url": "https://instagram.com/p/1",
            "published_at": ledger.clock(),
            "caption": "#ad",
            **changes,
        }
        return ledger.execute(s.creator(), PublishPost(campaign_id=s.campaign_id, **values))

    return on_campaign("CONCLUDED", command, approval_required=False)


def giveaway(command: Callable[[Ledger, Scenario], Any]) -> Setup:
    return on_campaign("CONCLUDED", command, giveaway_required=True)


def announce_with(**changes: Any) -> Setup:
    def command(ledger: Ledger, s: Scenario) -> Any:
        values = {
            "giveaway_id": "g2",
            "prize": "Serum",
            "winner_count": 1,
            "entry_rules": ["follow"],
            "closes_at": ledger.clock() + timedelta(days=1),
            "seed_commitment": "a" * 64,
            **changes,
        }
        return ledger.execute(s.creator(), AnnounceGiveaway(campaign_id=s.campaign_id, **values))

    return giveaway(command)


def entries(value: Any) -> Setup:
    return giveaway(
        lambda ledger, s: ledger.execute(
            s.creator(),
            RecordGiveawayEntries(campaign_id=s.campaign_id, giveaway_id="g1", entries=value),
        )
    )


def payment(amount: Any, **changes: Any) -> Setup:
    def command(ledger: Ledger, s: Scenario) -> Any:
        values = {"amount": amount, "paid_at": ledger.clock(), "reference": "TRX", **changes}
        return ledger.execute(s.brand(), RecordPayment(campaign_id=s.campaign_id, **values))

    return on_campaign("DELIVERED", command)


def feedback(ratings: Any = BRAND_RATINGS, **changes: Any) -> Setup:
    return on_campaign(
        "DELIVERED",
        lambda ledger, s: ledger.execute(
            s.brand(),
            SubmitFeedback(
                campaign_id=s.campaign_id, ratings=ratings, would_work_again=True, **changes
            ),
        ),
    )


def accept(cid: Any = None, **guards: Any) -> Setup:
    return on_campaign(
        "PITCHED",
        lambda ledger, s: ledger.execute(
            s.creator(), AcceptPitch(campaign_id=cid or s.campaign_id), **guards
        ),
    )


@dataclass(frozen=True)
class Case:
    id: str
    setup: Setup
    error: type[LedgerError]
    field: str | None


def case(setup: Setup, error: type[LedgerError], field: str | None, *, id: str) -> Case:
    return Case(id, setup, error, field)


AREAS: dict[str, list[Case]] = {
    "registration": [
        case(brand_with(name=""), ValidationError, "name", id="empty-name"),
        case(brand_with(name="x" * (NAME_MAX + 1)), ValidationError, "name", id="long-name"),
        case(brand_with(name=42), ValidationError, "name", id="name-not-text"),
        case(brand_with(website="ftp://x.example"), ValidationError, "website", id="website"),
        case(brand_with(causes="organic"), ValidationError, "causes", id="causes-text"),
        case(creator_with(handle="sari nano!"), ValidationError, "handle", id="bad-handle"),
        case(creator_with(origin="ALIEN"), ValidationError, "origin", id="unknown-origin"),
        case(creator_with(country="Indonesia"), ValidationError, "country", id="country"),
        case(
            creator_with(niches=[f"n{i}" for i in range(11)]),
            ValidationError,
            "niches",
            id="niches",
        ),
        case(creator_with(niches=None), ValidationError, "niches", id="niches-none"),
    ],
    "profiles-and-briefs": [
        case(
            on_creator(
                lambda ledger, p: ledger.execute(
                    p.creator(),
                    LinkPlatformAccount(
                        creator_id=p.creator_id, platform="MYSPACE", handle="sari", followers=1
                    ),
                )
            ),
            ValidationError,
            "platform",
            id="unknown-platform",
        ),
        case(
            on_creator(
                lambda ledger, p: ledger.execute(
                    p.creator(),
                    LinkPlatformAccount(
                        creator_id=p.creator_id, platform="TIKTOK", handle="sari", followers=-1
                    ),
                )
            ),
            ValidationError,
            "followers",
            id="negative-followers",
        ),
        case(
            on_creator(
                lambda ledger, p: ledger.execute(
                    p.creator(),
                    RecordFollowers(
                        creator_id=p.creator_id,
                        platform="INSTAGRAM",
                        followers=5000,
                        observed_at=ledger.clock() + timedelta(hours=1),
                    ),
                )
            ),
            ValidationError,
            "observed_at",
            id="followers-from-the-future",
        ),
        case(rate_card(), ValidationError, "lines", id="empty-rate-card"),
        case(rate_card("POST"), ValidationError, "lines[0]", id="rate-line-not-object"),
        case(
            rate_card(rate_line(price={"amount": 500000.0})),
            ValidationError,
            "lines[0].price",
            id="float-price",
        ),
        case(
            rate_card(rate_line(price={"amount": "0"})),
            ValidationError,
            "lines[0].price",
            id="zero-price",
        ),
        case(
            rate_card(rate_line(price={"amount": "1", "currency": "XYZ"})),
            ValidationError,
            "lines[0].price.currency",
            id="unknown-currency",
        ),
        case(
            on_creator(
                lambda ledger, p: ledger.execute(
                    p.creator(), DeclareCauses(creator_id=p.creator_id, causes="hutan")
                )
            ),
            ValidationError,
            "causes",
            id="causes-as-text",
        ),
        case(
            on_creator(
                lambda ledger, p: ledger.execute(
                    p.creator(), DeclareCauses(creator_id=p.creator_id, causes=None)
                )
            ),
            ValidationError,
            "causes",
            id="causes-none",
        ),
        case(
            brief_with(ends_on=date(2026, 3, 1), starts_on=date(2026, 3, 2)),
            ValidationError,
            "ends_on",
            id="brief-ends-before-start",
        ),
        case(brief_with(title=""), ValidationError, "title", id="brief-title"),
        case(brief_with(platforms=["MYSPACE"]), ValidationError, "platforms", id="platforms"),
        case(brief_with(budget=Money(Decimal(0))), ValidationError, "budget", id="zero-budget"),
        case(brief_with(budget={"amount": "1"}), ValidationError, "budget", id="budget-not-money"),
    ],
    "pitch-and-terms": [
        case(pitch_with([1]), ValidationError, "terms", id="terms-not-object"),
        case(
            pitch_with(terms(deliverables=[])),
            ValidationError,
            "terms.deliverables",
            id="no-deliverables",
        ),
        case(
            pitch_with(terms(deliverables=["POST"])),
            ValidationError,
            "terms.deliverables[0]",
            id="deliverable-not-object",
        ),
        case(
            pitch_with(terms(deliverables=[deliverable("d1")] * 2)),
            ValidationError,
            "terms.deliverables",
            id="duplicate-deliverable-ids",
        ),
        case(
            one_deliverable(quantity=0),
            ValidationError,
            "terms.deliverables[0].quantity",
            id="qty-0",
        ),
        case(
            one_deliverable(platform="MYSPACE"),
            ValidationError,
            "terms.deliverables[0].platform",
            id="deliverable-platform",
        ),
        case(
            one_deliverable(due_on="2026-03-20"),
            ValidationError,
            "terms.deliverables[0].due_on",
            id="due-on-text",
        ),
        case(cash(500000.0), ValidationError, "terms.compensation.cash", id="float-cash"),
        case(cash("0"), ValidationError, "terms.compensation.cash", id="zero-cash"),
        case(cash("1", "RPH"), ValidationError, "terms.compensation.cash.currency", id="currency"),
        case(
            pitch_with({"deliverables": [deliverable()]}),
            ValidationError,
            "terms.compensation",
            id="no-compensation",
        ),
        case(
            pitch_with({**terms(), "compensation": {}}),
            ValidationError,
            "terms.compensation",
            id="empty-compensation",
        ),
        case(
            pitch_with(terms(approval_required="yes")),
            ValidationError,
            "terms.approval_required",
            id="approval-not-bool",
        ),
        case(
            pitch_with(terms(payment_due_days=-1)),
            ValidationError,
            "terms.payment_due_days",
            id="negative-due-days",
        ),
        case(pitch_with(message=""), ValidationError, "message", id="empty-message"),
        case(
            pitch_with(message="x" * (TEXT_MAX + 1)), ValidationError, "message", id="long-message"
        ),
        case(
            pitch_with(message=b"hello", idempotency_key="k1"),
            ValidationError,
            "message",
            id="bytes-message-with-key",
        ),
        case(pitch_with(brand_id="not-a-uuid"), NotFound, None, id="brand-id-not-uuid"),
        case(pitch_with(idempotency_key=""), ValidationError, "idempotency_key", id="key-0"),
        case(
            pitch_with(idempotency_key="k" * 201), ValidationError, "idempotency_key", id="key-long"
        ),
        case(pitch_with(idempotency_key=7), ValidationError, "idempotency_key", id="key-int"),
    ],
    "campaign-commands": [
        case(accept(cid="not-a-uuid"), NotFound, None, id="campaign-id-not-uuid"),
        case(accept(expected_version="1"), ValidationError, "expected_version", id="ev-text"),
        case(
            draft_with(caption="x" * (CAPTION_MAX + 1)),
            ValidationError,
            "caption",
            id="long-caption",
        ),
        case(draft_with(pros="great"), ValidationError, "pros", id="pros-as-text"),
        case(draft_with(media_urls=["not a url"]), ValidationError, "media_urls", id="media-url"),
        case(post_with(url="javascript:alert(1)"), ValidationError, "url", id="post-url"),
        case(
            post_with(paid_partnership_flag="yes"),
            ValidationError,
            "paid_partnership_flag",
            id="flag-not-bool",
        ),
        case(post_with(published_at="today"), ValidationError, "published_at", id="when"),
        case(announce_with(winner_count=0), ValidationError, "winner_count", id="winners-0"),
        case(announce_with(entry_rules=[]), ValidationError, "entry_rules", id="no-rules"),
        case(
            announce_with(prize_value={"amount": "1"}),
            ValidationError,
            "prize_value",
            id="prize-value-not-money",
        ),
        case(entries("fan1"), ValidationError, "entries", id="entries-as-text"),
        case(entries(None), ValidationError, "entries", id="entries-none"),
        case(payment(500000), ValidationError, "amount", id="payment-not-money"),
        case(payment(Money.of("1"), reference=""), ValidationError, "reference", id="no-reference"),
        case(
            on_campaign(
                "DELIVERED",
                lambda ledger, s: ledger.execute(
                    s.brand(),
                    ReportSalesUplift(
                        campaign_id=s.campaign_id, baseline={"amount": "1"}, during=Money.of("2")
                    ),
                ),
            ),
            ValidationError,
            "baseline",
            id="baseline-not-money",
        ),
        case(feedback([5, 4]), ValidationError, "ratings", id="ratings-not-object"),
        case(feedback(comment="x" * (TEXT_MAX + 1)), ValidationError, "comment", id="long-comment"),
    ],
}


def refusal(bad: Case, attempt: Attempt) -> LedgerError:
    """The typed error the attempt raised; anything else fails naming the case."""
    try:
        attempt()
    except LedgerError as error:
        return error
    except Exception as error:  # an untyped failure is exactly what is tested for
        pytest.fail(f"{bad.id}: {type(error).__name__}: {error}")
    pytest.fail(f"{bad.id}: the input was accepted")


@pytest.mark.parametrize("area", list(AREAS))
def test_bad_input_is_a_typed_error_and_changes_nothing(ledger: Ledger, area: str) -> None:
    for bad in AREAS[area]:
        attempt = bad.setup(ledger)
        before = ledger.recorder.max_notification_id()

        error = refusal(bad, attempt)

        assert (type(error), error.field) == (bad.error, bad.field), bad.id
        assert error.message, bad.id
        assert ledger.recorder.max_notification_id() == before, f"{bad.id} recorded something"


def test_an_unknown_campaign_is_not_found_and_changes_nothing(ledger: Ledger) -> None:
    parties = register_parties(ledger)

    with records_nothing(ledger), pytest.raises(NotFound) as error:
        ledger.execute(parties.creator(), AcceptPitch(campaign_id=ledger.new_id()))
    assert error.value.kind == "campaign"


def test_an_unknown_creator_profile_is_not_found(ledger: Ledger) -> None:
    parties = register_parties(ledger)
    unknown = ledger.new_id()

    with records_nothing(ledger), pytest.raises(NotFound):
        ledger.execute(
            ledger.context(Actor.creator(unknown)), DeclareCauses(creator_id=unknown, causes=["x"])
        )
    with records_nothing(ledger), pytest.raises(NotFound):
        ledger.execute(parties.brand(), UpdateBrandProfile(brand_id=ledger.new_id(), name="x"))


def test_a_stale_version_of_the_wrong_type_is_not_mistaken_for_a_conflict(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "PITCHED")

    with records_nothing(ledger), pytest.raises(LedgerError) as error:
        ledger.execute(
            scenario.creator(), AcceptPitch(campaign_id=scenario.campaign_id), expected_version=True
        )
    assert not isinstance(error.value, Conflict)
