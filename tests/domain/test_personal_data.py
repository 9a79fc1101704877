"""A creator's personal data (docs/operations.md, "Erasing a creator's personal data"):
contact details sealed with the creator's own key, and erased for good by destroying
that key (crypto-shredding, for the GDPR and Indonesia's PDP law) while every other
event stays replayable and every read model rebuilds. No database file or table ever
holds the plaintext, before or after."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any
from uuid import UUID

import pytest

from domain.application import Ledger
from domain.application.commands import ForgetCreator, RecordContactDetails
from domain.audit import campaign_view
from domain.canonical import digest_of
from domain.catalog import CampaignState
from domain.claims import IdempotencyRecord, idempotency_record_id
from domain.context import Actor
from domain.creator import Creator
from domain.errors import Conflict, Forbidden, NotFound, ValidationError
from domain.infrastructure.settings import Settings
from domain.personal_data import ContactDetails, KeyVault, seal, unseal
from graphql_api.cli.audit import export_records
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide
from tests.domain.at_rest import places_holding, relation_file_bytes, store_contents
from tests.domain.builders import campaign_at, records_nothing, register_creator
from tests.support import FakeClock

DETAILS: dict[str, Any] = {
    "legal_name": "Zelphinia Quorrowby-Anggraeni",
    "email": "Zelphinia.Quorrowby@pdp-probe.example",
    "phone": "+62 811 9753 1086",
    "payout_account": "BNI 0099887766554433",
}
PLAINTEXTS = (
    "Zelphinia",
    "Quorrowby",
    "zelphinia.quorrowby@pdp-probe.example",
    "pdp-probe",
    "9753 1086",
    "0099887766554433",
)


def record_details(
    ledger: Ledger, creator_id: UUID, idempotency_key: str | None = None, **changes: Any
) -> None:
    ctx = ledger.context(Actor.creator(creator_id))
    ledger.execute(
        ctx,
        RecordContactDetails(creator_id=creator_id, **{**DETAILS, **changes}),
        idempotency_key=idempotency_key,
    )


def forget(ledger: Ledger, creator_id: UUID, idempotency_key: str | None = None) -> None:
    ledger.execute(
        ledger.context(Actor.admin("dpo-1")),
        ForgetCreator(creator_id=creator_id),
        idempotency_key=idempotency_key,
    )


@pytest.fixture
def creator_id(ledger: Ledger) -> UUID:
    return register_creator(ledger)


@pytest.fixture
def read_side(settings: Settings, ledger: Ledger, clock: FakeClock) -> Iterator[ReadSide]:
    with ReadSide(settings, ledger, all_projections(), clock=clock) as read_side:
        yield read_side


# --- recording and reading ----------------------------------------------------------


def test_contact_details_round_trip_through_the_store(ledger: Ledger, creator_id: UUID) -> None:
    record_details(ledger, creator_id)

    assert ledger.get_contact_details(creator_id) == ContactDetails(
        legal_name="Zelphinia Quorrowby-Anggraeni",
        email="zelphinia.quorrowby@pdp-probe.example",
        phone="+62 811 9753 1086",
        payout_account="BNI 0099887766554433",
    )
    event = list(ledger.events.get(creator_id))[-1]
    assert isinstance(event, Creator.ContactDetailsRecorded)
    assert event.actor == f"creator:{creator_id}"


def test_later_details_replace_earlier_ones_and_an_admin_may_record_them(
    ledger: Ledger, creator_id: UUID
) -> None:
    record_details(ledger, creator_id)

    ledger.execute(
        ledger.context(Actor.admin()),
        RecordContactDetails(
            creator_id=creator_id, legal_name="Sari W.", email="sari@mail.example"
        ),
    )

    assert ledger.get_contact_details(creator_id) == ContactDetails(
        legal_name="Sari W.", email="sari@mail.example", phone=None, payout_account=None
    )


def test_nobody_else_records_a_creators_details(ledger: Ledger, creator_id: UUID) -> None:
    other_creator = register_creator(ledger, "budi.nano")
    details = RecordContactDetails(creator_id=creator_id, **DETAILS)

    with records_nothing(ledger):
        for actor in (Actor.creator(other_creator), Actor.brand(creator_id)):
            with pytest.raises(NotFound):
                ledger.execute(ledger.context(actor), details)
        with pytest.raises(Forbidden):
            ledger.execute(ledger.context(Actor.auditor()), details)
    assert ledger.get_contact_details(creator_id) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "two@@example.id"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"legal_name": "   "}, "legal_name"),
        ({"legal_name": ""}, "legal_name"),
    ],
)
def test_invalid_details_are_refused_and_record_nothing(
    ledger: Ledger, creator_id: UUID, changes: dict[str, str], field: str
) -> None:
    with records_nothing(ledger), pytest.raises(ValidationError) as refused:
        record_details(ledger, creator_id, **changes)

    assert refused.value.field == field
    assert ledger.get_contact_details(creator_id) is None


def test_the_same_idempotency_key_replays_and_a_different_input_conflicts(
    ledger: Ledger, creator_id: UUID
) -> None:
    ctx = ledger.context(Actor.creator(creator_id))
    first = ledger.execute(
        ctx, RecordContactDetails(creator_id=creator_id, **DETAILS), idempotency_key="pd-1"
    )

    with records_nothing(ledger):
        again = ledger.execute(
            ctx, RecordContactDetails(creator_id=creator_id, **DETAILS), idempotency_key="pd-1"
        )
        with pytest.raises(Conflict) as conflict:
            ledger.execute(
                ctx,
                RecordContactDetails(
                    creator_id=creator_id, **{**DETAILS, "phone": "+62 800 000 000"}
                ),
                idempotency_key="pd-1",
            )

    assert (again.replayed, again.aggregate_id, again.version) == (True, creator_id, first.version)
    assert conflict.value.field == "idempotency_key"


def test_the_idempotency_record_holds_neither_plaintext_nor_a_plain_hash_of_it(
    ledger: Ledger, creator_id: UUID, settings: Settings
) -> None:
    actor = Actor.creator(creator_id)
    ledger.execute(
        ledger.context(actor),
        RecordContactDetails(creator_id=creator_id, **DETAILS),
        idempotency_key="pd-1",
    )

    record = ledger.repository.get(idempotency_record_id(actor, "pd-1"))
    assert isinstance(record, IdempotencyRecord)
    state = json.dumps(vars(record), default=str)
    assert not [text for text in PLAINTEXTS if text.lower() in state.lower()]
    plain_hashes = _plain_hashes(creator_id)
    assert record.request_digest not in plain_hashes
    contents = store_contents(settings)
    assert [h for h in plain_hashes if places_holding(contents, h)] == []


def _plain_hashes(creator_id: UUID) -> list[str]:
    """Digests a naive ledger would have kept of the plaintext: of each value, of the
    details, and of the command's input as the idempotency digest covers other commands."""
    normalised = asdict(ContactDetails.create(DETAILS))
    texts = [*DETAILS.values(), *normalised.values()]
    texts += [json.dumps(d, sort_keys=True) for d in (DETAILS, normalised)]
    hashes = [hashlib.sha256(str(t).encode()).hexdigest() for t in texts]
    for details in (DETAILS, normalised):
        hashes.append(digest_of({"command": "recordContactDetails", "input": details}))
        hashes.append(
            digest_of(
                {
                    "command": "recordContactDetails",
                    "input": {"creator_id": str(creator_id), **details},
                }
            )
        )
    return hashes


# --- erasure ----------------------------------------------------------------------------


def test_forgetting_a_creator_erases_their_details_for_good(
    ledger: Ledger, creator_id: UUID
) -> None:
    record_details(ledger, creator_id)

    forget(ledger, creator_id)

    assert ledger.get_contact_details(creator_id) is None
    erased = list(ledger.events.get(creator_id))[-1]
    assert isinstance(erased, Creator.PersonalDataErased)
    assert erased.actor == "admin:dpo-1"
    assert ledger.get_creator(creator_id).personal_data_erased
    assert ledger.vault.key_for(creator_id, create=False) is None


def test_a_second_erasure_is_a_conflict(ledger: Ledger, creator_id: UUID) -> None:
    record_details(ledger, creator_id)
    forget(ledger, creator_id)

    with records_nothing(ledger), pytest.raises(Conflict):
        forget(ledger, creator_id)


def test_an_erasure_retried_with_its_idempotency_key_replays(
    ledger: Ledger, creator_id: UUID
) -> None:
    record_details(ledger, creator_id)
    forget(ledger, creator_id, idempotency_key="erase-1")

    with records_nothing(ledger):
        forget(ledger, creator_id, idempotency_key="erase-1")

    assert ledger.get_contact_details(creator_id) is None


def test_details_are_refused_after_erasure_and_no_new_key_is_made(
    ledger: Ledger, creator_id: UUID
) -> None:
    record_details(ledger, creator_id)
    forget(ledger, creator_id)

    with records_nothing(ledger), pytest.raises(Conflict):
        record_details(ledger, creator_id, email="new@mail.example")

    assert ledger.get_contact_details(creator_id) is None
    assert ledger.vault.key_for(creator_id, create=False) is None


def test_only_admins_erase_personal_data(ledger: Ledger, creator_id: UUID) -> None:
    record_details(ledger, creator_id)

    with records_nothing(ledger):
        for actor in (Actor.creator(creator_id), Actor.auditor()):
            with pytest.raises(Forbidden):
                ledger.execute(ledger.context(actor), ForgetCreator(creator_id=creator_id))
        with pytest.raises(NotFound):
            ledger.execute(
                ledger.context(Actor.brand(creator_id)), ForgetCreator(creator_id=creator_id)
            )

    assert ledger.get_contact_details(creator_id) is not None


def test_an_erasure_recorded_without_its_key_destroyed_is_finished_by_the_next_attempt(
    ledger: Ledger, creator_id: UUID
) -> None:
    """As after a crash between recording the erasure and destroying the key."""
    record_details(ledger, creator_id)
    creator = ledger.get_creator(creator_id)
    creator.erase_personal_data(ledger.context(Actor.admin()))
    ledger.save(creator)
    assert ledger.vault.key_for(creator_id, create=False) is not None

    with pytest.raises(Conflict):
        forget(ledger, creator_id)

    assert ledger.vault.key_for(creator_id, create=False) is None


def test_an_unknown_creator_cannot_be_erased(ledger: Ledger) -> None:
    with records_nothing(ledger), pytest.raises(NotFound):
        forget(ledger, UUID(int=7))


def test_a_creators_campaigns_replay_and_every_projection_rebuilds_after_erasure(
    ledger: Ledger, read_side: ReadSide
) -> None:
    scenario = campaign_at(ledger, "COMPLETED")
    creator_id = scenario.parties.creator_id
    record_details(ledger, creator_id)
    read_side.engine.catch_up()

    forget(ledger, creator_id)

    view = campaign_view(ledger, scenario.campaign_id)
    assert view.state is CampaignState.COMPLETED
    assert view.version == scenario.campaign().version
    assert ledger.get_creator(creator_id).handle == "sari.nano"
    read_side.engine.catch_up()
    assert read_side.verify() == []
    assert read_side.rebuild()
    assert read_side.verify() == []


# --- the seal -----------------------------------------------------------------------------


class _OneKeyVault:
    """Hands out the same key for every creator, to isolate the associated-data check."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def key_for(self, creator_id: UUID, *, create: bool) -> bytes | None:
        return self.key

    def forget(self, creator_id: UUID) -> bool:
        return False

    def close(self) -> None:
        return None


def test_one_creators_blob_cannot_be_opened_as_another_creators(
    ledger: Ledger, creator_id: UUID
) -> None:
    other_id = register_creator(ledger, "budi.nano")
    record_details(ledger, creator_id)
    record_details(ledger, other_id, email="budi@mail.example")
    sealed = ledger.get_creator(creator_id).contact_details_sealed
    assert sealed is not None

    with pytest.raises(ValueError, match="does not match"):
        unseal(ledger.vault, other_id, sealed)
    key = ledger.vault.key_for(creator_id, create=False)
    assert key is not None
    same_key: KeyVault = _OneKeyVault(key)
    assert unseal(same_key, creator_id, sealed) == ledger.get_contact_details(creator_id)
    with pytest.raises(ValueError, match="does not match"):
        unseal(same_key, other_id, sealed)
    assert unseal(same_key, other_id, seal(same_key, other_id, ContactDetails.create(DETAILS)))


# --- at rest --------------------------------------------------------------------------------


def _holding_plaintext(contents: dict[str, bytes]) -> dict[str, list[str]]:
    return {text: places for text in PLAINTEXTS if (places := places_holding(contents, text))}


def _exported(ledger: Ledger) -> str:
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in export_records(ledger))


def test_no_database_file_or_table_holds_the_plaintext_before_or_after_erasure(
    ledger: Ledger, read_side: ReadSide, settings: Settings
) -> None:
    # Another creator's key, stored first: the erased key's row is not the table's last.
    bystander = register_creator(ledger, "budi.nano")
    record_details(ledger, bystander, legal_name="Budi Santoso", email="budi@mail.example")
    scenario = campaign_at(ledger, "COMPLETED")
    creator_id = scenario.parties.creator_id
    record_details(ledger, creator_id, idempotency_key="pd-1")
    read_side.engine.catch_up()
    key = ledger.vault.key_for(creator_id, create=False)
    assert key is not None

    before = store_contents(settings)
    # The scan does see what the store holds: the creator's handle and the key itself.
    assert places_holding(before, "sari.nano")
    assert places_holding(before, key)
    assert _holding_plaintext(before) == {}
    assert not [text for text in PLAINTEXTS if text in _exported(ledger)]

    forget(ledger, creator_id)
    read_side.engine.catch_up()
    assert read_side.rebuild()

    after = store_contents(settings)
    assert _holding_plaintext(after) == {}
    assert places_holding(after, key) == []
    assert ledger.get_contact_details(bystander) is not None
    exported = _exported(ledger)
    assert "PersonalDataErased" in exported
    assert not [text for text in PLAINTEXTS if text in exported]
    if settings.backend == "sqlite":
        assert set(before) >= {"events.sqlite", "read_models.sqlite", "keys.sqlite"}
    else:
        assert key not in relation_file_bytes(settings, "creator_keys")
