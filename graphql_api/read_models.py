"""Reading the read models from resolvers: off the event loop, batched, after the caller's writes.

Query functions of :mod:`projections` are blocking and take the read store; they
run here in a worker thread. Every list page and every batch load is one such
call, so the number of store round trips a request costs depends on the shape
of the query, never on the number of rows it returns.

``atLeast`` is how a client reads its own write: it passes the ``position`` a
mutation returned and the server waits briefly for every projection to reach
it. If they do not in time, the query fails with ``UNAVAILABLE`` rather than
answer with data that silently lacks the write.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import suppress
from typing import Any, TypeVar

from anyio import to_thread
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField

from domain.errors import NotFound, StoreUnavailable, ValidationError
from graphql_api.connections import Connection, Edge, PageInfo, page_size
from graphql_api.ledger_context import READ_YOUR_WRITES_TIMEOUT, Info, LedgerContext
from projections.store.pages import InvalidPageRequest, Page
from projections.store.readstore import ReadStore

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
N = TypeVar("N")

POSITION_MAX = (1 << 63) - 1


async def read(info: Info, query: Callable[[ReadStore], T]) -> T:
    """``query(store)`` in a worker thread; a bad cursor becomes a VALIDATION error."""
    return await read_in(info.context, query)


async def read_in(context: LedgerContext, query: Callable[[ReadStore], T]) -> T:
    store = context.read_side.store
    try:
        return await to_thread.run_sync(lambda: query(store))
    except InvalidPageRequest as error:
        raise ValidationError(str(error), field="after") from None


def parse_position(value: str, field: str = "atLeast") -> int:
    """A store position as the API spells it: a decimal string (positions are 64-bit)."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > POSITION_MAX:
        raise ValidationError(f"{field} must be a store position (a decimal string)", field=field)
    return int(text)


async def reach(info: Info, at_least: str | None) -> None:
    """Wait until every projection has read up to ``at_least``; no-op without one."""
    if at_least is None:
        return
    position = parse_position(at_least)
    read_side = info.context.read_side
    reached = await to_thread.run_sync(
        lambda: read_side.wait_for(position, READ_YOUR_WRITES_TIMEOUT)
    )
    if not reached:
        raise StoreUnavailable(
            f"the read models have not reached position {position} yet; retry shortly"
        )


def batch_loader(
    info: Info,
    name: str,
    fetch: Callable[[ReadStore, list[K]], Mapping[K, T]],
) -> DataLoader[K, T | None]:
    """This request's loader of one key kind: one ``fetch`` per batch of keys,
    ``None`` for keys the read model does not have."""

    def factory(context: LedgerContext) -> DataLoader[K, T | None]:
        async def load(keys: list[K]) -> list[T | None]:
            found = await read_in(context, lambda store: fetch(store, keys))
            return [found.get(key) for key in keys]

        return DataLoader(load_fn=load)

    loader: DataLoader[K, T | None] = info.context.loader(name, factory)
    return loader


def with_fallback(
    fetch: Callable[[ReadStore, list[K]], Mapping[K, T]],
    fallback: Callable[[K], T],
) -> Callable[[ReadStore, list[K]], dict[K, T]]:
    """``fetch``, with each key the read model lacks (it is catching up) looked up by
    ``fallback`` — in the event store — so an object created a moment ago is never
    reported missing; a key ``fallback`` raises NotFound for is left out."""

    def fetch_all(store: ReadStore, keys: list[K]) -> dict[K, T]:
        found = dict(fetch(store, keys))
        for key in keys:
            if key not in found:
                with suppress(NotFound):
                    found[key] = fallback(key)
        return found

    return fetch_all


def selects(info: Info, path: Sequence[str]) -> bool:
    """Whether the field being resolved selects ``path`` (GraphQL names, through
    fragments), so a resolver reads only what the query asks for."""

    def within(selections: Sequence[Any], rest: Sequence[str]) -> bool:
        if not rest:
            return True
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name == rest[0] and within(selection.selections, rest[1:]):
                    return True
            elif within(selection.selections, rest):
                return True
        return False

    return any(within(field.selections, path) for field in info.selected_fields)


def first_of(first: int | None) -> int:
    """The page size the API allows (default 20, at most 100)."""
    return page_size(first)


def connection_of(page: Page[T], node: Callable[[T], N]) -> Connection[N]:
    """A GraphQL connection from a read-model page, keeping its opaque cursors."""
    edges = [Edge(cursor=edge.cursor, node=node(edge.node)) for edge in page.edges]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        ),
        total_count=page.total_count,
    )
