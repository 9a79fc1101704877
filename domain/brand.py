"""The Brand aggregate: a company that commissions creators."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain import validation as v
from domain.base import LedgerAggregate
from domain.context import CommandContext


def _profile(name: object, industry: object, causes: object, website: object) -> dict[str, Any]:
    return {
        "name": v.text(name, "name"),
        "industry": v.text(industry, "industry", max_len=v.TAG_MAX).lower(),
        "causes": v.tags(causes if causes is not None else (), "causes"),
        "website": v.url(website, "website") if website else None,
    }


class Brand(LedgerAggregate):
    snapshot_types = {"causes": tuple}

    class Registered(LedgerAggregate.Created):
        """Version 2 added ``causes``; version 1 events load with no causes."""

        class_version = 2
        name: str
        industry: str
        causes: tuple[str, ...]
        website: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["causes"] = []
            state.setdefault("chain", "")  # recorded before events were hash-chained

        def apply(self, brand: Brand) -> None:
            brand.name = self.name
            brand.industry = self.industry
            brand.causes = tuple(self.causes)
            brand.website = self.website

    class ProfileUpdated(LedgerAggregate.Event):
        name: str
        industry: str
        causes: tuple[str, ...]
        website: str | None

        def apply(self, brand: Brand) -> None:
            brand.name = self.name
            brand.industry = self.industry
            brand.causes = tuple(self.causes)
            brand.website = self.website

    def __init__(self) -> None:
        self.name = ""
        self.industry = ""
        self.causes: tuple[str, ...] = ()
        self.website: str | None = None

    @classmethod
    def register(
        cls,
        ctx: CommandContext,
        brand_id: UUID,
        *,
        name: object,
        industry: object,
        causes: object = (),
        website: object = None,
    ) -> Brand:
        return cls._start(
            ctx, cls.Registered, brand_id, **_profile(name, industry, causes, website)
        )

    def update_profile(
        self,
        ctx: CommandContext,
        *,
        name: object = None,
        industry: object = None,
        causes: object = None,
        website: object = None,
    ) -> None:
        """Changes the given fields; omitted ones keep their value."""
        profile = _profile(
            self.name if name is None else name,
            self.industry if industry is None else industry,
            self.causes if causes is None else causes,
            self.website if website is None else website,
        )
        self._record(ctx, self.ProfileUpdated, **profile)
