"""The live GraphQL endpoint fuzzed from the exported schema with hypothesis-graphql:
thousands of generated queries and mutations, with random and boundary values, as
every kind of caller. Not one may answer 500, mask an internal error, or show a
stack trace or SQL.

Most of the volume runs in-process over ASGI (the full server app, with embedded
projections, on SQLite); a smaller share goes to a real uvicorn server process.
IDs are drawn from a seeded market (so objects are found and acted on) as well as
at random.
"""

from __future__ import annotations

import asyncio
import os
import string
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from domain.application import Ledger
from domain.infrastructure.settings import Settings
from graphql_api.export_schema import current_sdl
from graphql_api.http.metrics import Metrics
from graphql_api.http.server import build_app
from graphql_api.ledger_context import Services
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide
from tests.api.support import SECRET
from tests.domain.builders import campaign_at, register_brand, register_parties
from tests.graphql_driver import Who, bearer, leaks, pitch_campaign, register_creator
from tests.graphql_driver import register_brand as register_brand_over_http
from tests.reliability.figures import Figures
from tests.reliability.processes import LedgerServer
from tests.support import FakeClock

# LEDGER_FUZZ_SCALE=10 runs ten times as many cases (for a longer hunt than CI's).
SCALE = float(os.environ.get("LEDGER_FUZZ_SCALE") or 1)
IN_PROCESS_PER_ROLE = int(300 * SCALE)
IN_PROCESS_INVALID = int(300 * SCALE)
OVER_HTTP = int(300 * SCALE)
ROLES = ("anonymous", "brand", "creator", "auditor", "admin")
INTERNAL = "INTERNAL_SERVER_ERROR"

SCHEMA = graphql.build_schema(current_sdl())


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


BOUNDARY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\u0000",
        "\ud7ff",
        "\uffff",
        "🦄" * 50,
        "a" * 5_001,
        "'; DROP TABLE x; --",
        "<script>",
        "%s%n",
        "../../etc/passwd",
        "null",
        "-0",
        "9" * 40,
    ]
)


def _moments() -> st.SearchStrategy[str]:
    edges = st.sampled_from(
        [
            "",
            "now",
            "2026-02-30T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2026-03-02T09:00:00",
            "2026-03-02T09:00:00+14:00",
            "2026-03-02T09:00:00-12:00",
            "2026-13-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2026-03-02 09:00",
        ]
    )
    generated = st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, None]),
    ).map(datetime.isoformat)
    return st.one_of(edges, generated, st.text(max_size=30))


def _dates() -> st.SearchStrategy[str]:
    edges = st.sampled_from(
        ["", "2026-02-29", "2028-02-29", "0001-01-01", "9999-12-31", "2026-1-1", "20260301"]
    )
    return st.one_of(edges, st.dates().map(date.isoformat), st.text(max_size=20))


def _decimals() -> st.SearchStrategy[graphql.ValueNode]:
    text = st.one_of(
        st.sampled_from(
            [
                "0",
                "-0",
                "-1",
                "1e400",
                "-1e400",
                "NaN",
                "Infinity",
                "-Infinity",
                "0.000000000000000000001",
                "9" * 60,
                "1_000",
                " 1",
                "1,5",
                "",
            ]
        ),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.text(alphabet=string.digits + ".-eE", max_size=25),
    )
    return st.one_of(
        text.map(nodes.String),
        st.integers().map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    )


def _json() -> st.SearchStrategy[graphql.ValueNode]:
    leaf = st.one_of(
        st.text(max_size=10).map(nodes.String),
        st.integers().map(nodes.Int),
        st.booleans().map(nodes.Boolean),
    )
    return st.recursive(
        leaf, lambda inner: st.lists(inner, max_size=3).map(nodes.List), max_leaves=8
    )


def scalars(ids: list[str]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    known = st.sampled_from(ids) if ids else st.nothing()
    return {
        "ID": st.one_of(known, known, st.uuids().map(str), st.text(max_size=40), BOUNDARY_TEXT).map(
            nodes.String
        ),
        "DateTime": _moments().map(nodes.String),
        "Date": _dates().map(nodes.String),
        "Decimal": _decimals(),
        "JSON": _json(),
    }


ROOTS = [SCHEMA.query_type, SCHEMA.mutation_type]
ROOT_FIELDS = [name for root in ROOTS if root for name in root.fields]
WITH_ARGUMENTS = [name for root in ROOTS if root for name, f in root.fields.items() if f.args]


def operations(ids: list[str], mode: Mode = Mode.POSITIVE) -> st.SearchStrategy[str]:
    """One root field per document, each field equally likely: small documents, fast to
    generate, and every query field and mutation gets its share of the cases."""
    custom = scalars(ids)
    # A schema violation needs an argument to violate.
    names = ROOT_FIELDS if mode is Mode.POSITIVE else WITH_ARGUMENTS
    per_field = {
        name: from_schema(SCHEMA, fields=[name], custom_scalars=custom, mode=mode) for name in names
    }
    return st.sampled_from(names).flatmap(lambda name: per_field[name])


@dataclass
class World:
    ids: list[str]
    callers: dict[str, Who]


@dataclass
class Tally:
    cases: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    leaked: int = 0

    def judge(self, role: str, document: str, status: int, text: str, body: Any) -> None:
        self.cases[role] += 1
        self.statuses[status] += 1
        errors = body.get("errors") if isinstance(body, dict) else None
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, dict) and any(value is not None for value in data.values()):
            self.answered[role] += 1
        for error in errors or ():
            self.codes[str((error.get("extensions") or {}).get("code"))] += 1
        problems = []
        if status >= 500:
            problems.append(f"status {status}")
        if leaks(text):
            self.leaked += 1
            problems.append(f"leaks {leaks(text)}")
        if INTERNAL in text:
            problems.append("an internal error was masked")
        if not isinstance(body, dict):
            problems.append("not a JSON object")
        if problems:
            self.failures.append(f"{role}: {', '.join(problems)}\n{document}\n{text[:600]}")
        assert not problems, self.failures[-1]

    def record(self, figures: Figures, name: str) -> None:
        figures.record(
            name,
            cases=sum(self.cases.values()),
            by_role=dict(self.cases),
            statuses=dict(sorted(self.statuses.items())),
            error_codes=dict(self.codes.most_common()),
            answered_with_data=sum(self.answered.values()),
            status_500=sum(n for s, n in self.statuses.items() if s >= 500),
            masked_internal_errors=self.codes[INTERNAL],
            leaks=self.leaked,
        )


# --- in process --------------------------------------------------------------------------


class InProcess:
    """The ASGI app called over httpx's ASGI transport from synchronous hypothesis tests:
    one event loop in a thread runs every request, as a server's loop would."""

    def __init__(self, app: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        transport = httpx.ASGITransport(app=app)
        self._client = httpx.AsyncClient(transport=transport, base_url="http://ledger.test")

    def post(self, document: str, who: Who) -> httpx.Response:
        request = self._client.post("/graphql", json={"query": document}, headers=bearer(who))
        return asyncio.run_coroutine_threadsafe(request, self._loop).result(timeout=60)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._client.aclose(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[InProcess, World]]:
    settings_ = Settings(data_dir=tmp_path_factory.mktemp("fuzz") / "var")
    clock = FakeClock()
    ledger = Ledger(settings_, clock=clock)
    read_side = ReadSide(settings_, ledger, all_projections(), clock=clock)
    services = Services(ledger=ledger, read_side=read_side, metrics=Metrics())
    parties = register_parties(ledger)
    other_brand = register_brand(ledger, "Rival")
    campaigns = [
        campaign_at(ledger, stage, parties=parties).campaign_id
        for stage in ("PITCHED", "ACCEPTED", "CONCLUDED", "DELIVERED", "COMPLETED")
    ]
    world = World(
        ids=[str(i) for i in (parties.brand_id, parties.creator_id, other_brand, *campaigns)],
        callers={
            "anonymous": None,
            "brand": ("brand", str(parties.brand_id)),
            "creator": ("creator", str(parties.creator_id)),
            "auditor": ("auditor", "audit-1"),
            "admin": ("admin", "ops-1"),
        },
    )
    app = build_app(
        Settings(data_dir=settings_.data_dir, jwt_secret=SECRET), services, embedded=True
    )
    read_side.start_embedded()
    client = InProcess(app)
    try:
        yield client, world
    finally:
        client.close()
        read_side.close()
        ledger.close()


def _send(client: InProcess, who: Who, document: str) -> tuple[int, str, Any]:
    response = client.post(document, who)
    try:
        body = response.json()
    except ValueError:
        body = None
    return response.status_code, response.text, body


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_generated_operations_never_fail_on_the_server(
    in_process: tuple[InProcess, World], figures: Figures, role: str
) -> None:
    client, world = in_process
    tally = Tally()

    @fuzz_settings(IN_PROCESS_PER_ROLE)
    @given(document=operations(world.ids))
    def fuzz(document: str) -> None:
        tally.judge(role, document, *_send(client, world.callers[role], document))

    try:
        fuzz()
    finally:
        tally.record(figures, f"fuzz_in_process[{role}]")


@pytest.mark.slow
def test_generated_invalid_operations_are_refused_as_client_errors(
    in_process: tuple[InProcess, World], figures: Figures
) -> None:
    client, world = in_process
    tally = Tally()

    @fuzz_settings(IN_PROCESS_INVALID)
    @given(
        role=st.sampled_from(ROLES),
        document=operations(world.ids, Mode.NEGATIVE),
    )
    def fuzz(role: str, document: str) -> None:
        status, text, body = _send(client, world.callers[role], document)
        tally.judge(role, document, status, text, body)
        assert body.get("errors"), f"an invalid operation was accepted:\n{document}\n{text}"

    try:
        fuzz()
    finally:
        tally.record(figures, "fuzz_in_process[schema-violating]")


# --- over real HTTP ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_world(sqlite_server: LedgerServer) -> World:
    async def seed() -> World:
        async with httpx.AsyncClient(base_url=sqlite_server.url) as http:
            brand_id = await register_brand_over_http(http, "Fuzzed Brand")
            creator_id = await register_creator(http, "fuzzed.creator")
            campaign_id = await pitch_campaign(http, brand_id, creator_id)
        return World(
            ids=[brand_id, creator_id, campaign_id],
            callers={
                "anonymous": None,
                "brand": ("brand", brand_id),
                "creator": ("creator", creator_id),
                "auditor": ("auditor", "audit-1"),
                "admin": ("admin", "ops-1"),
            },
        )

    return asyncio.run(seed())


@pytest.mark.slow
def test_generated_operations_over_http_never_fail_on_the_server(
    sqlite_server: LedgerServer, served_world: World, figures: Figures
) -> None:
    tally = Tally()
    with httpx.Client(base_url=sqlite_server.url, timeout=30) as http:

        @fuzz_settings(OVER_HTTP)
        @given(
            role=st.sampled_from(ROLES),
            document=operations(served_world.ids),
        )
        def fuzz(role: str, document: str) -> None:
            response = http.post(
                "/graphql", json={"query": document}, headers=bearer(served_world.callers[role])
            )
            try:
                body = response.json()
            except ValueError:
                body = None
            tally.judge(role, document, response.status_code, response.text, body)

        try:
            fuzz()
        finally:
            tally.record(figures, "fuzz_over_http")
    assert sqlite_server.alive()
