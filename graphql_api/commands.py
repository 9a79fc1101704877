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

from collections.abc import Awaitable, Callable, Mapping
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


Node = Callable[[Info, CommandResult], Awaitable[Any]]
"""The object a command changed, as it stands after the command (remembered for the
rest of the request, so later reads in it see the write)."""

Extras = Callable[[Info, CommandResult, Any], Awaitable[dict[str, Any]]]
"""A mutation's own payload fields beyond the changed object, from its result and input."""

Row = tuple[type["CommandInput"], str | None] | tuple[type["CommandInput"], str | None, Extras]
"""A mutation: its input, its description, and, where it has them, its own payload fields."""

PayloadField = tuple[Any, str]
"""An optional payload field that only some mutations fill: its type and description."""

_PAYLOADS: dict[type, Any] = {}


def payload_type(node_type: type, extra: Mapping[str, PayloadField] | None = None) -> Any:
    """``<Node>Payload``: the changed object, its version and the store position of the
    change, plus the ``extra`` optional fields (null unless a mutation fills them); one
    type per node type, shared by every mutation that returns it."""
    if node_type not in _PAYLOADS:
        name = node_type.__name__
        field = name[0].lower() + name[1:]
        annotations: dict[str, Any] = {field: node_type, "version": int, "position": str}
        namespace: dict[str, Any] = {
            "__annotations__": annotations,
            "position": strawberry.field(
                description="Store position of the last event written; "
                "pass it as atLeast to read it."
            ),
        }
        for extra_name, (extra_type, description) in (extra or {}).items():
            annotations[extra_name] = extra_type | None
            namespace[extra_name] = strawberry.field(default=None, description=description)
        _PAYLOADS[node_type] = strawberry.type(
            type(f"{name}Payload", (), namespace),
            description=f"A {field} after a change, with where the change landed.",
        )
    return _PAYLOADS[node_type]


def mutations(
    node_type: type, node: Node, *table: Row, extra: Mapping[str, PayloadField] | None = None
) -> Callable[[type[T]], type[T]]:
    """A class decorator (below ``@strawberry.type``) adding one mutation per input.

    ``FooBarInput`` becomes the field ``fooBar(input: FooBarInput!)`` returning the
    union ``FooBarResult`` of ``<Node>Payload`` and every UserError, with the given
    description; fields keep the table's order. A row's third element fills that
    mutation's own fields of ``extra``.
    """
    payload = payload_type(node_type, extra)
    field = node_type.__name__[0].lower() + node_type.__name__[1:]

    def success(extras: Extras | None) -> InputSuccess:
        async def build(info: Info, result: CommandResult, input: Any) -> Any:
            changed = await node(info, result)
            own = {} if extras is None else await extras(info, result, input)
            return payload(
                **{field: changed}, version=result.version, position=str(result.position), **own
            )

        return build

    def add(cls: type[T]) -> type[T]:
        for row in table:
            input_type, description = row[0], row[1]
            name = input_type.__name__.removesuffix("Input")
            mutation = strawberry.mutation(
                _resolver(input_type, success(row[2] if len(row) == 3 else None)),
                graphql_type=result_union(f"{name}Result", payload),
                description=description,
            )
            setattr(cls, _snake_case(name), mutation)
        return cls

    return add


InputSuccess = Callable[[Info, CommandResult, Any], Awaitable[Any]]


def _resolver(
    input_type: type[CommandInput], success: InputSuccess
) -> Callable[..., Awaitable[Any]]:
    async def resolve(self: object, info: Info, input: CommandInput) -> Any:
        return await run_command(info, input, lambda result: success(info, result, input))

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
