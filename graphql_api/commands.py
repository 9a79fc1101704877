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
from domain.errors import LedgerError, NotFound, Unauthenticated
from graphql_api.field_names import api_field
from graphql_api.ledger_context import Info
from graphql_api.user_errors import result_union, user_error

S = TypeVar("S")
T = TypeVar("T")

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


Node = Callable[[Info, CommandResult], Awaitable[Any]]
"""The object a command changed, as it stands after the command (remembered for the
rest of the request, so later reads in it see the write)."""

_PAYLOADS: dict[type, Any] = {}


def payload_type(node_type: type) -> Any:
    """``<Node>Payload``: the changed object, its version and the store position of the
    change; one type per node type, shared by every mutation that returns it."""
    if node_type not in _PAYLOADS:
        name = node_type.__name__
        field = name[0].lower() + name[1:]
        namespace = {
            "__annotations__": {field: node_type, "version": int, "position": str},
            "position": strawberry.field(
                description="Store position of the last event written; "
                "pass it as atLeast to read it."
            ),
        }
        _PAYLOADS[node_type] = strawberry.type(
            type(f"{name}Payload", (), namespace),
            description=f"A {field} after a change, with where the change landed.",
        )
    return _PAYLOADS[node_type]


def mutations(
    node_type: type, node: Node, *table: tuple[type[CommandInput], str | None]
) -> Callable[[type[T]], type[T]]:
    """A class decorator (below ``@strawberry.type``) adding one mutation per input.

    ``FooBarInput`` becomes the field ``fooBar(input: FooBarInput!)`` returning the
    union ``FooBarResult`` of ``<Node>Payload`` and every UserError, with the given
    description; fields keep the table's order.
    """
    payload = payload_type(node_type)
    field = node_type.__name__[0].lower() + node_type.__name__[1:]

    async def success(info: Info, result: CommandResult) -> Any:
        changed = await node(info, result)
        return payload(**{field: changed}, version=result.version, position=str(result.position))

    def add(cls: type[T]) -> type[T]:
        for input_type, description in table:
            name = input_type.__name__.removesuffix("Input")
            mutation = strawberry.mutation(
                _resolver(input_type, success),
                graphql_type=result_union(f"{name}Result", payload),
                description=description,
            )
            setattr(cls, _snake_case(name), mutation)
        return cls

    return add


def _resolver(input_type: type[CommandInput], success: Node) -> Callable[..., Awaitable[Any]]:
    async def resolve(self: object, info: Info, input: CommandInput) -> Any:
        return await run_command(info, input, lambda result: success(info, result))

    resolve.__annotations__ = {"self": object, "info": Info, "input": input_type, "return": Any}
    return resolve


def _snake_case(name: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() else ch for ch in name).lstrip("_")
