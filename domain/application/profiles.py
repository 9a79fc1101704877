"""Brands and creators: registering them, and the changes to their profiles.

Admins register; a brand changes its own profile and a creator its own (admins
any, for support). A creator's handle is unique across the ledger: the claim is
saved in the same transaction as the registration. Contact details are sealed
with the creator's own key before they reach the store; forgetting a creator
destroys that key once the erasure is saved.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from eventsourcing.application import AggregateNotFoundError

from domain.application import commands as c
from domain.application.pipeline import Handler, changes_target
from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.canonical import digest_of
from domain.claims import UniqueValue, unique_value_id
from domain.context import CommandContext
from domain.creator import Creator
from domain.errors import Conflict
from domain.personal_data import ContactDetails, seal

if TYPE_CHECKING:
    from domain.application.ledger import Ledger

HANDLE_CLAIM = "creator-handle"


def _register_brand(
    ledger: Ledger, ctx: CommandContext, command: c.RegisterBrand, _: None
) -> list[LedgerAggregate]:
    return [Brand.register(ctx, ledger.new_id(), **command.arguments())]


def _register_creator(
    ledger: Ledger, ctx: CommandContext, command: c.RegisterCreator, _: None
) -> list[LedgerAggregate]:
    creator = Creator.register(ctx, ledger.new_id(), **command.arguments())
    if _handle_taken(ledger, creator.handle):
        raise Conflict(f"the handle {creator.handle} is taken", field="handle")
    return [creator, UniqueValue.claim(ctx, HANDLE_CLAIM, creator.handle, creator.id)]


def _handle_taken(ledger: Ledger, handle: str) -> bool:
    try:
        ledger.repository.get(unique_value_id(HANDLE_CLAIM, handle))
    except AggregateNotFoundError:
        return False
    return True


def _details(command: c.RecordContactDetails) -> ContactDetails:
    return ContactDetails.create(
        {
            "legal_name": command.legal_name,
            "email": command.email,
            "phone": command.phone,
            "payout_account": command.payout_account,
        }
    )


def _writable(creator: Creator) -> Creator:
    if creator.personal_data_erased:
        # Refused before the vault is asked, which would mint a new key.
        raise Conflict("this creator's personal data was erased", field="creator_id")
    return creator


def _record_contact_details(
    ledger: Ledger, ctx: CommandContext, command: c.RecordContactDetails, creator: Creator
) -> list[LedgerAggregate]:
    details = _details(command)
    creator.record_contact_details(ctx, sealed=seal(ledger.vault, _writable(creator).id, details))
    return [creator]


def _contact_details_digest(
    ledger: Ledger, ctx: CommandContext, command: c.RecordContactDetails
) -> str:
    """A keyed hash of the details under the creator's own key: it dies with the key."""
    details = _details(command)
    creator = ledger.authorized_target(ctx, command)
    assert isinstance(creator, Creator)
    _writable(creator)
    fingerprint = hmac.new(
        ledger.vault.key_for(creator.id, create=True) or b"",
        repr(sorted(vars(details).items())).encode(),
        hashlib.sha256,
    ).hexdigest()
    return digest_of(
        {
            "command": command.action,
            "input": {"creator_id": str(creator.id), "details": fingerprint},
        }
    )


def _erase(
    ledger: Ledger, ctx: CommandContext, command: c.ForgetCreator, creator: Creator
) -> list[LedgerAggregate]:
    creator.erase_personal_data(ctx)
    return [creator]


def _destroy_key(ledger: Ledger, command: c.ForgetCreator) -> None:
    if ledger.get_creator(command.creator_id).personal_data_erased:
        ledger.vault.forget(command.creator_id)


HANDLERS: dict[type[c.Command], Handler] = {
    c.RegisterBrand: Handler(_register_brand),
    c.UpdateBrandProfile: changes_target(Brand.update_profile),
    c.RegisterCreator: Handler(_register_creator),
    c.LinkPlatformAccount: changes_target(Creator.link_platform_account),
    c.RecordFollowers: changes_target(Creator.record_followers),
    c.PublishRateCard: changes_target(Creator.publish_rate_card),
    c.DeclareCauses: changes_target(Creator.declare_causes),
    c.RecordContactDetails: Handler(_record_contact_details, digest=_contact_details_digest),
    c.ForgetCreator: Handler(_erase, settle=_destroy_key),
}
