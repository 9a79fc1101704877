"""The read baselines, served by uvicorn exactly like the API.

(i) a bare Starlette endpoint returning a recorded response's bytes from memory;
(ii) a bare strawberry schema per query, with the parse and validation caches the
API's schema has, whose types mirror a recorded response field for field and whose
resolvers return that response's objects from memory. Samples are recorded
from the real API at the start of each run (``BENCH_SAMPLES`` names the file),
so both baselines answer the very query and JSON shape the API does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import strawberry
from graphql import parse, print_ast
from graphql.language import (
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    Visitor,
    visit,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

SAMPLES_ENV = "BENCH_SAMPLES"
CACHE_SIZE = 512


class _DropArguments(Visitor):
    def enter_argument(self, *_: Any) -> Any:
        return self.REMOVE

    def enter_variable_definition(self, *_: Any) -> Any:
        return self.REMOVE


def bare_query(query: str) -> str:
    """The same selections without arguments: the bare schema's fields take none."""
    stripped = visit(parse(query), _DropArguments())
    return print_ast(stripped)


Selections = dict[str, "Selections"]


def selections(query: str) -> Selections:
    """The fields ``query`` selects, by response key, nested; a leaf selects nothing."""
    document = parse(query)

    def of(selection_set: Any) -> Selections:
        found: Selections = {}
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                found[key] = {**found.get(key, {}), **of(selection.selection_set)}
            elif isinstance(selection, InlineFragmentNode):
                found.update(of(selection.selection_set))
        return found

    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return of(operation.selection_set)


class _TypeBuilder:
    """Strawberry types shaped like recorded JSON values (and, where every recorded
    value is null, like the query's selection), and instances holding them."""

    def __init__(self) -> None:
        self._names: set[str] = set()

    def annotation(self, name: str, values: list[Any], selected: Selections) -> Any:
        present = [value for value in values if value is not None]
        optional = len(present) < len(values)
        if not present:
            kind: Any = self._object_type(name, [{}], selected) if selected else str
        elif all(isinstance(value, list) for value in present):
            items = [item for value in present for item in value]
            item_kind = self.annotation(name, items, selected) if items or selected else str
            kind = list.__class_getitem__(item_kind)
        elif all(isinstance(value, dict) for value in present):
            kind = self._object_type(name, present, selected)
        elif all(isinstance(value, bool) for value in present):
            kind = bool
        elif all(isinstance(value, int) and not isinstance(value, bool) for value in present):
            kind = int
        elif all(isinstance(value, int | float) for value in present):
            kind = float
        else:
            kind = str
        return kind | None if optional else kind

    def _object_type(self, name: str, objects: list[dict[str, Any]], selected: Selections) -> Any:
        type_name = self._unique(name[:1].upper() + name[1:])
        keys: dict[str, None] = dict.fromkeys(selected)
        for item in objects:
            keys.update(dict.fromkeys(item))
        annotations = {
            key: self.annotation(
                f"{type_name}_{key}", [item.get(key) for item in objects], selected.get(key, {})
            )
            for key in keys
        }
        cls = type(type_name, (), {"__annotations__": annotations})
        return strawberry.type(cls)

    def _unique(self, name: str) -> str:
        candidate, number = name, 1
        while candidate in self._names:
            number += 1
            candidate = f"{name}{number}"
        self._names.add(candidate)
        return candidate


def instance(annotation: Any, value: Any) -> Any:
    """``value`` (recorded JSON) as an instance of ``annotation`` (a built type)."""
    if value is None:
        return None
    args: tuple[Any, ...] = getattr(annotation, "__args__", ())
    origin = getattr(annotation, "__origin__", None)
    if origin is list:
        return [instance(args[0], item) for item in value]
    if args and origin is None:  # X | None
        return instance(next(a for a in args if a is not type(None)), value)
    if isinstance(value, dict):
        fields = annotation.__annotations__
        return annotation(**{key: instance(fields[key], value.get(key)) for key in fields})
    return value


def bare_schema(sample: dict[str, Any]) -> strawberry.Schema:
    """A schema answering ``sample``'s query with its recorded response, from memory."""
    builder = _TypeBuilder()
    selected = selections(sample["query"])
    data = json.loads(sample["response"])["data"]
    namespace: dict[str, Any] = {}
    for field_name, value in data.items():
        annotation = builder.annotation(field_name, [value], selected.get(field_name, {}))
        namespace[field_name] = strawberry.field(
            resolver=_returning(instance(annotation, value)), graphql_type=annotation
        )
    query = strawberry.type(type("Query", (), namespace))
    return strawberry.Schema(
        query=query,
        config=StrawberryConfig(auto_camel_case=False),
        extensions=[
            lambda: ParserCache(maxsize=CACHE_SIZE),
            lambda: ValidationCache(maxsize=CACHE_SIZE),
        ],
    )


def _returning(value: Any) -> Any:
    def resolve() -> Any:
        return value

    return resolve


def create_baseline_app() -> Starlette:
    samples: dict[str, dict[str, Any]] = json.loads(
        Path(os.environ[SAMPLES_ENV]).read_text(encoding="utf-8")
    )

    def recorded(name: str) -> Any:
        body = samples[name]["response"].encode()

        async def endpoint(request: Request) -> Response:
            await request.body()
            return Response(body, media_type="application/json")

        return endpoint

    routes: list[Any] = [
        Route(f"/starlette/{name}", recorded(name), methods=["POST"]) for name in samples
    ]
    routes += [
        Route(f"/strawberry/{name}", GraphQL(bare_schema(sample), graphql_ide=None))
        for name, sample in samples.items()
    ]
    routes.append(Route("/healthz", lambda _: Response("ok"), methods=["GET"]))
    return Starlette(routes=routes)
