"""How a command is handled, whatever it is: the parts every area module plugs into.

A :class:`Handler` says how one kind of command decides — which aggregates it
returns to be saved, the first being the one the caller gets back. The ledger's
pipeline (:meth:`domain.application.Ledger.execute`) does the rest the same way
for all of them: load the object the command names, authorize by the table in
:mod:`domain.access`, check the expected version, decide, bind the idempotency
key, save in one transaction, retry on a concurrent write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.access import Owners
from domain.application.commands import Command
from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.brief import Brief
from domain.campaign import Campaign
from domain.context import CommandContext
from domain.creator import Creator

if TYPE_CHECKING:
    from domain.application.ledger import Ledger

Decide = Callable[["Ledger", CommandContext, Any, Any], list[LedgerAggregate]]
"""``(ledger, ctx, command, target)`` → the aggregates to save, the result first;
``target`` is the loaded object the command names (None for one that names none)."""


@dataclass(frozen=True)
class Handler:
    decide: Decide
    owners: Callable[[Any], Owners] | None = None
    """Whose object a command that names no loaded target is about (a pitch: the
    brand and creator it names)."""
    digest: Callable[[Ledger, CommandContext, Any], str] | None = None
    """What an idempotency key is bound to, where the command's own fields will not
    do (personal data: no plaintext, nor a plain hash of it, may outlive its key)."""
    settle: Callable[[Ledger, Any], None] | None = None
    """Effects outside the event store, run after the save, and after a conflict
    (so a run that stopped between the save and the effect is completed)."""


@dataclass(frozen=True)
class CommandResult:
    """Where a command's effect landed: the aggregate, its new version, and the
    store position of the last event written (on an idempotent replay, a position
    at which the original write is already visible).

    What the command produced rides along, so a caller can show the result
    without reading it back: ``events``, the result aggregate's events it wrote
    (in version order), and ``aggregate``, that aggregate exactly at ``version``
    — None on a replay, or when a later command of the same group commit changed
    the same aggregate before the save.
    """

    aggregate_id: UUID
    version: int
    position: int
    replayed: bool = False
    events_written: int = 0
    events: tuple[LedgerAggregate.Event, ...] = field(default=(), compare=False, repr=False)
    aggregate: LedgerAggregate | None = field(default=None, compare=False, repr=False)


def changes_target(method: Callable[..., None]) -> Handler:
    """A command that changes the object it names by one aggregate method, called
    with the command's other fields."""

    def decide(
        ledger: Ledger, ctx: CommandContext, command: Command, target: LedgerAggregate
    ) -> list[LedgerAggregate]:
        method(target, ctx, **command.arguments())
        return [target]

    return Handler(decide)


TARGETS: dict[str, tuple[type[LedgerAggregate], str]] = {
    "brand_id": (Brand, "brand"),
    "creator_id": (Creator, "creator"),
    "brief_id": (Brief, "brief"),
    "campaign_id": (Campaign, "campaign"),
}
"""The aggregate a command's target field names, and how it reads when unknown."""


def owners_of(target: LedgerAggregate) -> Owners:
    """Whose object ``target`` is, for :func:`domain.access.authorize`."""
    if isinstance(target, Campaign):
        return Owners(target.brand_id, target.creator_id, "campaign", target.id)
    if isinstance(target, Brief):
        return Owners(target.brand_id, None, "brief", target.id)
    if isinstance(target, Creator):
        return Owners(None, target.id, "creator", target.id)
    assert isinstance(target, Brand)
    return Owners(target.id, None, "brand", target.id)
