"""The Brief aggregate: a brand's open call for creators."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain import validation as v
from domain.base import LedgerAggregate
from domain.catalog import Platform
from domain.context import CommandContext
from domain.errors import InvalidTransition, ValidationError
from domain.money import Money


class Brief(LedgerAggregate):
    snapshot_types = {
        "key_messages": tuple,
        "niches": tuple,
        "platforms": lambda platforms: tuple(Platform(p) for p in platforms),
    }

    class Published(LedgerAggregate.Created):
        brand_id: UUID
        title: str
        objective: str
        key_messages: tuple[str, ...]
        niches: tuple[str, ...]
        platforms: tuple[str, ...]
        budget: Money | None
        starts_on: date
        ends_on: date

        def apply(self, brief: Brief) -> None:
            brief.brand_id = self.brand_id
            brief.title = self.title
            brief.objective = self.objective
            brief.key_messages = tuple(self.key_messages)
            brief.niches = tuple(self.niches)
            brief.platforms = tuple(Platform(p) for p in self.platforms)
            brief.budget = self.budget
            brief.starts_on = self.starts_on
            brief.ends_on = self.ends_on

    class Closed(LedgerAggregate.Event):
        reason: str | None

        def apply(self, brief: Brief) -> None:
            brief.closed = True

    def __init__(self) -> None:
        self.brand_id: UUID | None = None
        self.title = ""
        self.objective = ""
        self.key_messages: tuple[str, ...] = ()
        self.niches: tuple[str, ...] = ()
        self.platforms: tuple[Platform, ...] = ()
        self.budget: Money | None = None
        self.starts_on = date.min
        self.ends_on = date.max
        self.closed = False

    @classmethod
    def publish(
        cls,
        ctx: CommandContext,
        brief_id: UUID,
        *,
        brand_id: UUID,
        title: object,
        objective: object,
        key_messages: object = (),
        niches: object = (),
        platforms: object = (),
        budget: Money | None = None,
        starts_on: object,
        ends_on: object,
    ) -> Brief:
        start = v.a_date(starts_on, "starts_on")
        end = v.a_date(ends_on, "ends_on")
        if end < start:
            raise ValidationError("ends_on is before starts_on", field="ends_on")
        if end < ctx.now.date():
            raise ValidationError("ends_on is in the past", field="ends_on")
        if budget is not None:
            budget = v.money(budget, "budget")
        if budget is not None and budget.amount <= 0:
            raise ValidationError("budget must be positive", field="budget")
        chosen = tuple(
            dict.fromkeys(
                v.choice(Platform, p, "platforms").value for p in v.items(platforms, "platforms")
            )
        )
        return cls._start(
            ctx,
            cls.Published,
            brief_id,
            brand_id=brand_id,
            title=v.text(title, "title"),
            objective=v.text(objective, "objective", max_len=v.TEXT_MAX),
            key_messages=v.texts(key_messages, "key_messages", max_items=20, max_len=500),
            niches=v.tags(niches, "niches", max_items=10),
            platforms=chosen,
            budget=budget,
            starts_on=start,
            ends_on=end,
        )

    def close(self, ctx: CommandContext, *, reason: object = None) -> None:
        if self.closed:
            raise InvalidTransition("closeBrief", "CLOSED", [], subject="brief")
        self._record(ctx, self.Closed, reason=v.optional_text(reason, "reason", max_len=500))

    def is_open(self, today: date) -> bool:
        return not self.closed and today <= self.ends_on
