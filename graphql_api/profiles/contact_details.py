# mypy: disable-error-code="untyped-decorator"
"""``Creator.contactDetails``: a creator's personal data, and who may see which of it.

- The creator itself and admins see every field.
- A brand with a concluded agreement with the creator — any campaign between
  them that reached ``AgreementConcluded``, even if completed or cancelled
  since — sees the e-mail only; the other fields read as null.
- Anybody else (other brands and creators, auditors, anonymous callers) gets
  null, exactly as for a creator with no details recorded, so nothing tells
  whether there are any.

Once the creator's key is destroyed (``forgetCreator``), those allowed see
``erased: true`` and no values.

The details are decrypted from the event store on demand — no read model ever
holds them — in one worker-thread hop per batch of creators; a brand's
concluded agreements come from the campaign summaries read model, one query
per batch. A brand that just concluded an agreement reads it with ``atLeast``.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from uuid import UUID

import strawberry
from anyio import to_thread
from strawberry.dataloader import DataLoader

from domain.access import DetailScope, contact_details_scope
from domain.application import Ledger
from domain.errors import NotFound
from domain.personal_data import ContactDetails as Details
from graphql_api.ledger_context import Info, LedgerContext
from graphql_api.read_models import batch_loader
from projections.campaign_summaries.concluded_agreements import creators_with_concluded_agreement


class Access(Enum):
    NONE = "NONE"
    EMAIL = "EMAIL"
    FULL = "FULL"


@dataclass(frozen=True)
class Held:
    """What the ledger holds for a creator: the details, or None once erased."""

    details: Details | None

    @property
    def erased(self) -> bool:
        return self.details is None


@strawberry.type(
    description="A creator's personal data, encrypted with the creator's own key. The "
    "creator and admins see every field; a brand with a concluded agreement with the "
    "creator sees the e-mail only. After erasure every value is null and erased is true."
)
class ContactDetails:
    legal_name: str | None
    email: str | None
    phone: str | None
    payout_account: str | None
    erased: bool = strawberry.field(
        description="The creator's key was destroyed: the details can never be read again."
    )

    @classmethod
    def shown(cls, held: Held, access: Access) -> ContactDetails:
        details = held.details
        full = details if access is Access.FULL else None
        return cls(
            legal_name=full.legal_name if full else None,
            email=details.email if details else None,
            phone=full.phone if full else None,
            payout_account=full.payout_account if full else None,
            erased=held.erased,
        )


async def load_contact_details(info: Info, creator_id: UUID) -> ContactDetails | None:
    """The details as the caller may see them, or None (not allowed, or none recorded)."""
    access = await _access(info, creator_id)
    if access is Access.NONE:
        return None
    held = await _held_loader(info).load(creator_id)
    return None if held is None else ContactDetails.shown(held, access)


def forget_loaded_details(info: Info, creator_id: UUID) -> None:
    """Later reads in this request decrypt again (the details just changed)."""
    with suppress(KeyError):  # not loaded yet
        _held_loader(info).clear(creator_id)


async def _access(info: Info, creator_id: UUID) -> Access:
    actor = info.context.viewer.actor
    scope = contact_details_scope(actor, creator_id)
    if scope is DetailScope.FULL:
        return Access.FULL
    if scope is DetailScope.EMAIL_IF_AGREED and actor is not None:
        try:
            brand_id = UUID(str(actor.id))
        except ValueError:
            return Access.NONE
        concluded = await batch_loader(
            info,
            "concluded_agreements",
            lambda store, ids: dict.fromkeys(
                creators_with_concluded_agreement(store, brand_id, ids), True
            ),
        ).load(creator_id)
        return Access.EMAIL if concluded else Access.NONE
    return Access.NONE


def _held_loader(info: Info) -> DataLoader[UUID, Held | None]:
    def factory(context: LedgerContext) -> DataLoader[UUID, Held | None]:
        ledger = context.ledger

        async def load(ids: list[UUID]) -> list[Held | None]:
            return await to_thread.run_sync(lambda: [_held(ledger, i) for i in ids])

        return DataLoader(load_fn=load)

    loader: DataLoader[UUID, Held | None] = info.context.loader("contact_details", factory)
    return loader


def _held(ledger: Ledger, creator_id: UUID) -> Held | None:
    """None when no details were ever recorded (or there is no such creator)."""
    try:
        creator = ledger.get_creator(creator_id)
    except NotFound:
        return None
    if creator.personal_data_erased:
        return Held(None)
    if creator.contact_details_sealed is None:
        return None
    # None here too if an erasure lands between the two reads.
    return Held(ledger.get_contact_details(creator_id))
