"""Briefs: a brand's open calls for creators, published and closed by the brand itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.application import commands as c
from domain.application.pipeline import Handler, changes_target
from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.brief import Brief
from domain.context import CommandContext

if TYPE_CHECKING:
    from domain.application.ledger import Ledger


def _publish(
    ledger: Ledger, ctx: CommandContext, command: c.PublishBrief, brand: Brand
) -> list[LedgerAggregate]:
    return [Brief.publish(ctx, ledger.new_id(), brand_id=brand.id, **command.arguments())]


HANDLERS: dict[type[c.Command], Handler] = {
    c.PublishBrief: Handler(_publish),
    c.CloseBrief: changes_target(Brief.close),
}
