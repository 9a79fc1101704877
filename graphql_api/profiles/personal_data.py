# mypy: disable-error-code="untyped-decorator"
"""The mutations of a creator's personal data: ``recordContactDetails`` and ``forgetCreator``.

Contact details are sealed with the creator's own key before they reach the
event store (:mod:`domain.personal_data`); ``forgetCreator`` destroys that key
(crypto-shredding, for the GDPR and Indonesia's personal-data protection law),
so every copy — store, backups, exports — becomes unreadable while every
other event stays replayable.

Who may, as for the rest of the profile: the creator itself or an admin
records details, another creator's id reads as unknown (NOT_FOUND), brands
and auditors are FORBIDDEN. Only admins erase.
"""

from __future__ import annotations

import strawberry

from domain.application import CommandResult
from domain.application import commands as c
from graphql_api.commands import CommandInput, mutations
from graphql_api.ledger_context import Info
from graphql_api.profiles.contact_details import forget_loaded_details
from graphql_api.profiles.creators import Creator, changed_creator


class RecordContactDetailsInput(CommandInput):
    command = c.RecordContactDetails
    creator_id: strawberry.ID
    legal_name: str
    email: str
    phone: str | None = None
    payout_account: str | None = None
    expected_version: int | None = None
    idempotency_key: str | None = None


class ForgetCreatorInput(CommandInput):
    command = c.ForgetCreator
    creator_id: strawberry.ID
    idempotency_key: str | None = None


async def _changed(info: Info, result: CommandResult) -> Creator:
    forget_loaded_details(info, result.aggregate_id)
    return await changed_creator(info, result)


@strawberry.type
@mutations(
    Creator,
    _changed,
    (
        RecordContactDetailsInput,
        "The creator itself or an admin. Replaces earlier details; stored only "
        "encrypted with the creator's own key. CONFLICT once the personal data is erased.",
    ),
    (
        ForgetCreatorInput,
        "Admins only. Erases the creator's personal data for good by destroying "
        "the key it is encrypted with; campaigns and reputation stay. CONFLICT if already "
        "erased.",
    ),
)
class PersonalDataMutation:
    """PersonalData mutations, one per input."""
