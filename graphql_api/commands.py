"""Running a mutation: its input becomes a domain command, the ledger's pipeline runs
it off the event loop as the caller, and the domain's typed errors become members
of the mutation's result union.

An input names the command it becomes (``command``); :meth:`CommandInput.to_command`
fills the command's fields from the input's fields of the same names — ids
parsed (anything that is not one of ours is simply not found), nested inputs
converted by their ``to_domain`` — so a field added to a command and to its
input needs nothing here. Who may run what is decided by the domain alone
(:mod:`domain.access`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import fields
from typing import Any, ClassVar, TypeVar, dataclass_transform
from uuid import UUID

import strawberry
from anyio import to_thread

from domain.application import CommandResult
from domain.application.commands import Command
from domain.base import LedgerAggregate
from domain.errors import LedgerError, NotFound, Unauthenticated
from graphql_api.field_names import api_field
from graphql_api.ledger_context import Info
from graphql_api.user_errors import result_union, user_error

S = TypeVar("S")
T = TypeVar("T")
A = TypeVar("A", bound=LedgerAggregate)

ID_FIELDS = {
    "brand_id": "brand",
    "creator_id": "creator",
    "brief_id": "brief",
    "campaign_id": "campaign",
}
"""Command fields that hold ids, and the kind of object each names."""


def parse_id(value: object, kind: str, field: str = "id") -> UUID:
    """An id from the API; anything that is not one of ours is simply not found."""
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(kind, value, field=field) from None


@dataclass_transform(kw_only_default=True, field_specifiers=(strawberry.field,))
class CommandInput:
    """What every mutation input is: the command it becomes, and its guards.

    Every subclass is a strawberry input type (``class FooInput(CommandInput,
    description=...)``).
    """

    command: ClassVar[type[Command]]
    converters: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    """Fields that need more than the generic conversion, by command field name."""
    idempotency_key: str | None

    def __init_subclass__(cls, description: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        strawberry.input(cls, description=description)

    def to_command(self) -> Command:
        values = {}
        for f in fields(self.command):
            value = getattr(self, f.name)
            if f.name in self.converters:
                values[f.name] = self.converters[f.name](value)
            else:
                values[f.name] = _domain_value(f.name, value)
        return self.command(**values)

    @property
    def guards(self) -> dict[str, Any]:
        return {
            "expected_version": getattr(self, "expected_version", None),
            "idempotency_key": self.idempotency_key,
        }


def _domain_value(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field in ID_FIELDS:
        return parse_id(value, ID_FIELDS[field], api_field(field) or field)
    if isinstance(value, list):
        return [_domain_value(f"{field}[{index}]", item) for index, item in enumerate(value)]
    to_domain = getattr(value, "to_domain", None)
    return to_domain(field) if callable(to_domain) else value


async def run_command(
    info: Info,
    input: CommandInput,
    success: Callable[[CommandResult], Awaitable[S] | S],
) -> S | Any:
    """Runs ``input``'s command off the event loop as the caller; a LedgerError
    becomes the matching error type, anything else propagates (masked and logged)."""
    context = info.context
    try:
        if context.viewer.actor is None:
            raise Unauthenticated("sign in to change anything")
        ctx = context.command_context(context.ledger.clock)
        command = input.to_command()
        ledger = context.ledger
        result = await to_thread.run_sync(lambda: ledger.execute(ctx, command, **input.guards))
    except LedgerError as error:
        return user_error(error)
    context.record_events_written(result.events_written)
    outcome = success(result)
    if isinstance(outcome, Awaitable):
        return await outcome
    return outcome


Payload = Callable[[Info, CommandResult], Awaitable[Any]]
"""Builds a mutation's success member from what the command wrote."""

InputPayload = Callable[[Info, CommandResult, Any], Awaitable[Any]]
"""Builds it from what the command wrote and the input it came from."""

Row = (
    tuple[type["CommandInput"], str | None] | tuple[type["CommandInput"], str | None, InputPayload]
)
"""A mutation: its input, its description, and, where it differs, its own payload."""


def mutations(payload_type: type, payload: Payload, *table: Row) -> Callable[[type[T]], type[T]]:
    """A class decorator (below ``@strawberry.type``) adding one mutation per input.

    ``FooBarInput`` becomes the field ``fooBar(input: FooBarInput!)`` returning the
    union ``FooBarResult`` of ``payload_type`` and every UserError, with the given
    description; fields keep the table's order. A row's third element, where given,
    builds that mutation's payload from the result and the input instead of ``payload``.
    """

    def add(cls: type[T]) -> type[T]:
        for row in table:
            input_type, description = row[0], row[1]
            own: InputPayload = (
                row[2] if len(row) == 3 else (lambda info, result, _input: payload(info, result))
            )
            name = input_type.__name__.removesuffix("Input")
            field = strawberry.mutation(
                _resolver(input_type, own),
                graphql_type=result_union(f"{name}Result", payload_type),
                description=description,
            )
            setattr(cls, _snake_case(name), field)
        return cls

    return add


def _resolver(
    input_type: type[CommandInput], payload: InputPayload
) -> Callable[..., Awaitable[Any]]:
    async def resolve(self: object, info: Info, input: CommandInput) -> Any:
        return await run_command(info, input, lambda result: payload(info, result, input))

    resolve.__annotations__ = {"self": object, "info": Info, "input": input_type, "return": Any}
    return resolve


def _snake_case(name: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in name).lstrip("_")


async def aggregate_after(result: CommandResult, kind: type[A], read: Callable[[UUID], A]) -> A:
    """The aggregate as the command left it — the very object it saved — or, where the
    result does not carry it (an idempotent replay), ``read`` back off the event loop."""
    produced = result.aggregate
    if isinstance(produced, kind) and produced.version == result.version:
        return produced
    return await to_thread.run_sync(lambda: read(result.aggregate_id))
