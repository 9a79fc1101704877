# mypy: disable-error-code="untyped-decorator"
"""``Campaign.nextActions``: what each party can do now, and on what.

Built from :mod:`domain.next_actions`, the same computation the commands'
refusals list, so a portal never offers a button that then fails
(docs/workflow.md).
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from domain import next_actions as na
from graphql_api.enums import Party
from graphql_api.money import MoneyType
from graphql_api.records import from_record


@strawberry.type(
    description="What a next action is about; only the fields that matter for the action "
    "are set (a deliverable and its due date, a draft, a post, a giveaway, a winner, the "
    "amount still owed and when it is due, when feedback reveal opens)."
)
class NextActionTarget:
    deliverable_id: str | None
    draft_no: int | None
    post_no: int | None
    giveaway_id: str | None
    winner: str | None
    amount: MoneyType | None = strawberry.field(description="Still owed, for recordPayment.")
    due_on: date | None = strawberry.field(description="When the deliverable or payment is due.")
    closes_at: datetime | None = strawberry.field(description="Until when entries are taken.")
    opens_at: datetime | None = strawberry.field(
        description="From when either side may reveal feedback without the other."
    )

    @classmethod
    def from_domain(cls, target: na.Target) -> NextActionTarget:
        return from_record(cls, target, amount=MoneyType.maybe(target.amount))


@strawberry.type(
    description="An action (named as its mutation) that this party's command would have "
    "accepted now for some input, with its targets; no targets means the campaign as a whole."
)
class NextAction:
    action: str
    party: Party
    targets: list[NextActionTarget]

    @classmethod
    def from_domain(cls, action: na.NextAction) -> NextAction:
        return cls(
            action=action.action,
            party=action.party,
            targets=[NextActionTarget.from_domain(t) for t in action.targets],
        )
