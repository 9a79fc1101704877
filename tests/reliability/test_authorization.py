"""The whole authorization matrix over real HTTP (and websockets): every root query
field, every mutation and the subscription × anonymous, brand, creator, auditor
and admin × their own object or somebody else's.

Exactly the allowed cells succeed. Every other cell is refused, writes nothing,
and — unless the caller is a party that merely acts out of its role — is
answered exactly as the same request about objects that do not exist (ids
replaced by fresh ones), so no refusal reveals that an object exists. The
matrix must name every root field of the schema: a new field without a row
fails here.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from domain.application import Ledger
from domain.application.commands import (
    ApproveDraft,
    CancelCampaign,
    CloseBrief,
    CloseGiveaway,
    DrawGiveawayWinners,
    PublishBrief,
    RecordGiveawayEntries,
    ShipPrize,
    SubmitDraft,
)
from domain.giveaway_draw import draw_winners
from domain.infrastructure.settings import Settings
from graphql_api.export_schema import current_sdl
from graphql_api.http.metrics import Metrics
from graphql_api.http.server import build_app
from graphql_api.ledger_context import Services
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide
from tests.api.support import SECRET
from tests.domain.builders import (
    SEED,
    Parties,
    Scenario,
    campaign_at,
    register_brand,
    register_creator,
    terms,
)
from tests.graphql_driver import Reply, Who, bearer, call, leaks, ratings_input, terms_input
from tests.reliability.figures import Figures
from tests.support import FakeClock

CALLERS = (
    "anonymous",
    "own brand",
    "other brand",
    "own creator",
    "other creator",
    "auditor",
    "admin",
)
EVERYONE = frozenset(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
READERS = frozenset({"own brand", "own creator", "auditor", "admin"})
BRAND = frozenset({"own brand"})
CREATOR = frozenset({"own creator"})
BOTH = BRAND | CREATOR
ENTRANTS = ["ana", "budi"]
WINNER = draw_winners(SEED, ENTRANTS, 1)[0]
PROTOCOL = Subprotocol("graphql-transport-ws")

_unique = iter(range(1, 1_000_000))


@dataclass(frozen=True)
class World:
    ledger: Ledger
    clock: FakeClock
    parties: Parties
    other_brand: str
    other_creator: str

    def creator(self) -> Parties:
        """A fresh creator of the world's brand, for changes that can happen only once."""
        return Parties(
            self.ledger,
            self.parties.brand_id,
            register_creator(self.ledger, f"fresh.{next(_unique)}"),
        )


@dataclass(frozen=True)
class Target:
    """The object a cell is about, who owns it, and the request's variables."""

    owners: Parties
    variables: dict[str, Any]
    ids: tuple[str, ...]
    """Every id in ``variables`` that names an existing object (swapped for unknown ones)."""
    expect: str | None = None
    """A string a successful answer must contain (the object's id, for reads)."""


Prepare = Callable[[World], Target]


@dataclass(frozen=True)
class Cell:
    field: str
    document: str
    prepare: Prepare
    allowed: frozenset[str]
    knows: frozenset[str] = frozenset()
    """Callers that may not do this but own the object — a campaign's parties acting out
    of role, a creator erasing itself — and so may be told a typed FORBIDDEN or
    INVALID_TRANSITION instead of 'not found'."""
    wait: timedelta = timedelta(0)
    label: str = ""

    def __str__(self) -> str:
        return self.label or self.field


# --- targets ------------------------------------------------------------------------------


def _ids(parties: Parties) -> tuple[str, str]:
    return str(parties.brand_id), str(parties.creator_id)


def _campaign(
    stage: str, build: Callable[[Scenario], dict[str, Any]] | None = None, **options: Any
) -> Prepare:
    def prepare(world: World) -> Target:
        scenario = campaign_at(world.ledger, stage, parties=world.parties, **options)
        return _on(scenario, build(scenario) if build else {})

    return prepare


def _on(scenario: Scenario, extra: dict[str, Any]) -> Target:
    cid = str(scenario.campaign_id)
    return Target(scenario.parties, {"input": {"campaignId": cid, **extra}}, (cid,), cid)


def _then(
    stage: str,
    step: Callable[[World, Scenario], None],
    build: Callable[[World, Scenario], dict[str, Any]],
    **options: Any,
) -> Prepare:
    def prepare(world: World) -> Target:
        scenario = campaign_at(world.ledger, stage, parties=world.parties, **options)
        step(world, scenario)
        return _on(scenario, build(world, scenario))

    return prepare


def _draft(world: World, s: Scenario) -> None:
    world.ledger.execute(
        s.creator(),
        SubmitDraft(
            campaign_id=s.campaign_id,
            deliverable_id="d1",
            caption="Glow #ad",
            pros=["light"],
            cons=["pricey"],
        ),
    )


def _approved(world: World, s: Scenario) -> None:
    _draft(world, s)
    world.ledger.execute(
        s.brand(), ApproveDraft(campaign_id=s.campaign_id, deliverable_id="d1", draft_no=1)
    )


def _announced(world: World, s: Scenario) -> None:
    s.announce_giveaway(winner_count=1, closes_in=timedelta(hours=1))


def _entered(world: World, s: Scenario) -> None:
    _announced(world, s)
    world.ledger.execute(
        s.creator(),
        RecordGiveawayEntries(campaign_id=s.campaign_id, giveaway_id="g1", entries=ENTRANTS),
    )


def _closed(world: World, s: Scenario) -> None:
    _entered(world, s)
    world.clock.advance(hours=2)
    world.ledger.execute(s.creator(), CloseGiveaway(campaign_id=s.campaign_id, giveaway_id="g1"))


def _drawn(world: World, s: Scenario) -> None:
    _closed(world, s)
    world.ledger.execute(
        s.creator(), DrawGiveawayWinners(campaign_id=s.campaign_id, giveaway_id="g1", seed=SEED)
    )


def _shipped(world: World, s: Scenario) -> None:
    _drawn(world, s)
    world.ledger.execute(
        s.brand(),
        ShipPrize(
            campaign_id=s.campaign_id,
            giveaway_id="g1",
            winner=WINNER,
            carrier="JNE",
            tracking_ref="JNE-1",
        ),
    )


def _brand_rated(world: World, s: Scenario) -> None:
    s.submit_feedback("BRAND")


def _creator_input(fields: Callable[[World], dict[str, Any]]) -> Prepare:
    def prepare(world: World) -> Target:
        owners = world.creator()
        cid = str(owners.creator_id)
        return Target(owners, {"input": {"creatorId": cid, **fields(world)}}, (cid,))

    return prepare


def _brand_input(fields: Callable[[World], dict[str, Any]]) -> Prepare:
    def prepare(world: World) -> Target:
        bid = str(world.parties.brand_id)
        return Target(world.parties, {"input": {"brandId": bid, **fields(world)}}, (bid,))

    return prepare


def _no_object(fields: Callable[[], dict[str, Any]]) -> Prepare:
    return lambda world: Target(world.parties, {"input": fields()}, ())


def _brief(world: World, *, closed: bool) -> str:
    ctx = world.parties.brand()
    result = world.ledger.execute(
        ctx,
        PublishBrief(
            brand_id=world.parties.brand_id,
            title=f"Brief {next(_unique)}",
            objective="Reach",
            starts_on=world.clock.now.date(),
            ends_on=world.clock.now.date() + timedelta(days=60),
        ),
    )
    if closed:
        world.ledger.execute(ctx, CloseBrief(brief_id=result.aggregate_id))
    return str(result.aggregate_id)


def _by_id(kind: Callable[[World], str], expect: str | None = None) -> Prepare:
    def prepare(world: World) -> Target:
        object_id = kind(world)
        return Target(world.parties, {"id": object_id}, (object_id,), expect or object_id)

    return prepare


def _campaign_id(world: World) -> str:
    return str(campaign_at(world.ledger, "CONCLUDED", parties=world.parties).campaign_id)


def _pitch(world: World) -> Target:
    brand_id, creator_id = _ids(world.parties)
    pitch = {"brandId": brand_id, "creatorId": creator_id, "message": "hi", "terms": terms_input()}
    return Target(world.parties, {"input": pitch}, (brand_id, creator_id))


def _close_brief(world: World) -> Target:
    brief_id = _brief(world, closed=False)
    return Target(world.parties, {"input": {"briefId": brief_id}}, (brief_id,))


BRIEF_FIELDS = {"title": "T", "objective": "O", "startsOn": "2026-03-10", "endsOn": "2026-04-30"}
DRAFT = {"deliverableId": "d1", "caption": "Glow #ad", "pros": ["light"], "cons": ["pricey"]}
GIVEAWAY = {"campaign_terms": terms(giveaway_required=True)}


def _mutation(name: str) -> str:
    return f"""mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      result: {name}(input: $input) {{ __typename ... on UserError {{ code message field }} }}
    }}"""


def _m(
    name: str,
    prepare: Prepare,
    allowed: frozenset[str],
    knows: frozenset[str] = frozenset(),
    wait: timedelta = timedelta(0),
) -> Cell:
    return Cell(name, _mutation(name), prepare, allowed, knows, wait)


def _q(
    name: str, document: str, prepare: Prepare, allowed: frozenset[str], label: str = ""
) -> Cell:
    return Cell(name, document, prepare, allowed, label=label)


NOTHING: Prepare = lambda world: Target(world.parties, {}, ())  # noqa: E731

QUERIES = [
    _q("me", "{ result: me { role id } }", NOTHING, EVERYONE),
    _q(
        "creator",
        "query($id: ID!) { result: creator(id: $id) { id handle } }",
        _by_id(lambda w: str(w.parties.creator_id)),
        EVERYONE,
    ),
    _q(
        "brand",
        "query($id: ID!) { result: brand(id: $id) { id name } }",
        _by_id(lambda w: str(w.parties.brand_id)),
        EVERYONE,
    ),
    _q(
        "creators",
        "{ result: creators(first: 100) { edges { node { id } } } }",
        lambda w: Target(w.parties, {}, (), str(w.parties.creator_id)),
        EVERYONE,
    ),
    _q(
        "brief",
        "query($id: ID!) { result: brief(id: $id) { id } }",
        _by_id(lambda w: _brief(w, closed=False)),
        EVERYONE,
        "brief (open)",
    ),
    _q(
        "brief",
        "query($id: ID!) { result: brief(id: $id) { id } }",
        _by_id(lambda w: _brief(w, closed=True)),
        BRAND | {"auditor", "admin"},
        "brief (closed)",
    ),
    _q(
        "briefs",
        "query($id: ID!) { result: briefs(filter: {brandId: $id}, first: 100) "
        "{ edges { node { id } } } }",
        lambda w: Target(
            w.parties,
            {"id": str(w.parties.brand_id)},
            (str(w.parties.brand_id),),
            _brief(w, closed=False),
        ),
        EVERYONE,
    ),
    _q("rateBenchmarks", "{ result: rateBenchmarks { tier } }", NOTHING, EVERYONE),
    _q("projections", "{ result: projections { name lag } }", NOTHING, EVERYONE),
    _q(
        "campaign",
        "query($id: ID!) { result: campaign(id: $id) { id } }",
        _by_id(_campaign_id),
        READERS,
    ),
    _q(
        "campaigns",
        "query($id: ID!) { result: campaigns(filter: {brandId: $id}, first: 100) "
        "{ edges { node { id } } } }",
        lambda w: Target(
            w.parties, {"id": str(w.parties.brand_id)}, (str(w.parties.brand_id),), _campaign_id(w)
        ),
        READERS,
    ),
    _q(
        "campaignHistory",
        "query($id: ID!) { result: campaignHistory(id: $id) { edges { node { type } } } } ",
        _by_id(_campaign_id, expect="Pitched"),
        READERS,
    ),
    _q(
        "campaignAsOf",
        "query($id: ID!) { result: campaignAsOf(id: $id, version: 1) { id } }",
        _by_id(_campaign_id),
        READERS,
    ),
]

MUTATIONS = [
    _m(
        "registerBrand",
        _no_object(lambda: {"name": f"Brand {next(_unique)}", "industry": "food"}),
        frozenset({"admin"}),
    ),
    _m(
        "registerCreator",
        _no_object(
            lambda: {
                "handle": f"new.{next(_unique)}",
                "displayName": "N",
                "niches": [],
                "origin": "NATIVE",
            }
        ),
        frozenset({"admin"}),
    ),
    _m(
        "updateBrandProfile",
        _brand_input(lambda w: {"name": f"Purela {next(_unique)}"}),
        BRAND | {"admin"},
    ),
    _m(
        "linkPlatformAccount",
        _creator_input(lambda w: {"platform": "TIKTOK", "handle": "t", "followers": 100}),
        CREATOR | {"admin"},
    ),
    _m(
        "recordFollowers",
        _creator_input(
            lambda w: {
                "platform": "INSTAGRAM",
                "followers": 5_000,
                "observedAt": w.clock.now.isoformat(),
            }
        ),
        CREATOR | {"admin"},
    ),
    _m(
        "publishRateCard",
        _creator_input(
            lambda w: {
                "lines": [
                    {
                        "platform": "INSTAGRAM",
                        "format": "POST",
                        "price": {"amount": "400000", "currency": "IDR"},
                    }
                ]
            }
        ),
        CREATOR | {"admin"},
    ),
    _m("declareCauses", _creator_input(lambda w: {"causes": ["ocean"]}), CREATOR | {"admin"}),
    _m(
        "recordContactDetails",
        _creator_input(lambda w: {"legalName": "Sari Dewi", "email": "sari@example.com"}),
        CREATOR | {"admin"},
    ),
    _m("forgetCreator", _creator_input(lambda w: {}), frozenset({"admin"}), CREATOR),
    _m("publishBrief", _brand_input(lambda w: BRIEF_FIELDS), BRAND),
    _m("closeBrief", _close_brief, BRAND),
    _m("pitchCampaign", _pitch, BOTH),
    _m(
        "counterOffer",
        _campaign("PITCHED", lambda s: {"terms": terms_input(cash="650000"), "message": "more?"}),
        CREATOR,
        BRAND,
    ),
    _m("acceptPitch", _campaign("PITCHED"), CREATOR, BRAND),
    _m("declinePitch", _campaign("PITCHED", lambda s: {"reason": "busy"}), CREATOR, BRAND),
    _m("withdrawPitch", _campaign("PITCHED"), BRAND, CREATOR),
    _m(
        "signAgreement",
        _campaign("ACCEPTED", lambda s: {"termsDigest": s.campaign().terms_digest}),
        BOTH,
    ),
    _m("cancelCampaign", _campaign("CONCLUDED", lambda s: {"reason": "recall"}), BOTH),
    _m("submitDraft", _campaign("CONCLUDED", lambda s: DRAFT), CREATOR, BRAND),
    _m(
        "requestChanges",
        _then(
            "CONCLUDED",
            _draft,
            lambda w, s: {"deliverableId": "d1", "draftNo": 1, "notes": "show the bottle"},
        ),
        BRAND,
        CREATOR,
    ),
    _m(
        "approveDraft",
        _then("CONCLUDED", _draft, lambda w, s: {"deliverableId": "d1", "draftNo": 1}),
        BRAND,
        CREATOR,
    ),
    _m(
        "publishPost",
        _then(
            "CONCLUDED",
            _approved,
            lambda w, s: {
                "deliverableId": "d1",
                "url": "https://instagram.com/p/1",
                "publishedAt": w.clock.now.isoformat(),
                "caption": "Glow #ad",
            },
        ),
        CREATOR,
        BRAND,
    ),
    _m(
        "recordPostMetrics",
        _campaign(
            "DELIVERED",
            lambda s: {
                "deliverableId": "d1",
                "observedAt": s.ledger.clock().isoformat(),
                "followers": 4200,
                "likes": 120,
                "comments": 9,
            },
        ),
        CREATOR,
        BRAND,
    ),
    _m(
        "announceGiveaway",
        _campaign(
            "CONCLUDED",
            lambda s: {
                "giveawayId": "g2",
                "prize": "Serum",
                "winnerCount": 1,
                "entryRules": ["follow"],
                "closesAt": (s.ledger.clock() + timedelta(days=1)).isoformat(),
                "seedCommitment": "0" * 64,
            },
            **GIVEAWAY,
        ),
        CREATOR,
        BRAND,
    ),
    _m(
        "recordGiveawayEntries",
        _then(
            "CONCLUDED",
            _announced,
            lambda w, s: {"giveawayId": "g1", "entries": ["citra"]},
            **GIVEAWAY,
        ),
        CREATOR,
        BRAND,
    ),
    _m(
        "closeGiveaway",
        _then("CONCLUDED", _entered, lambda w, s: {"giveawayId": "g1"}, **GIVEAWAY),
        CREATOR,
        BRAND,
        wait=timedelta(hours=2),
    ),
    _m(
        "drawGiveawayWinners",
        _then("CONCLUDED", _closed, lambda w, s: {"giveawayId": "g1", "seed": SEED}, **GIVEAWAY),
        CREATOR,
        BRAND,
    ),
    _m(
        "shipPrize",
        _then(
            "CONCLUDED",
            _drawn,
            lambda w, s: {
                "giveawayId": "g1",
                "winner": WINNER,
                "carrier": "JNE",
                "trackingRef": "JNE-9",
            },
            **GIVEAWAY,
        ),
        BOTH,
    ),
    _m(
        "confirmPrizeDelivered",
        _then(
            "CONCLUDED", _shipped, lambda w, s: {"giveawayId": "g1", "winner": WINNER}, **GIVEAWAY
        ),
        BOTH,
    ),
    _m(
        "reportPerformance",
        _campaign(
            "DELIVERED",
            lambda s: {
                "periodStart": s.ledger.clock().date().isoformat(),
                "periodEnd": s.ledger.clock().date().isoformat(),
                "reach": 2000,
                "impressions": 3000,
                "engagements": 150,
            },
        ),
        CREATOR,
        BRAND,
    ),
    _m(
        "reportSalesUplift",
        _campaign(
            "DELIVERED",
            lambda s: {"baseline": {"amount": "1000000"}, "during": {"amount": "1250000"}},
        ),
        BRAND,
        CREATOR,
    ),
    _m(
        "recordPayment",
        _campaign(
            "DELIVERED",
            lambda s: {
                "amount": {"amount": "500000"},
                "paidAt": s.ledger.clock().isoformat(),
                "reference": "TRX-7",
            },
        ),
        BRAND,
        CREATOR,
    ),
    _m("submitFeedback", _campaign("DELIVERED"), BOTH),
    _m(
        "revealFeedback",
        _then("DELIVERED", _brand_rated, lambda w, s: {}),
        BOTH,
        wait=timedelta(days=15),
    ),
]
SUBSCRIPTION = """subscription($id: ID!) { campaignEvents(campaignId: $id) { type version } }"""


def _feedback_input(caller: str) -> dict[str, Any]:
    side = "CREATOR" if "creator" in caller else "BRAND"
    return {"ratings": ratings_input(side), "wouldWorkAgain": True}


# --- the server ---------------------------------------------------------------------------


@dataclass
class Served:
    url: str
    world: World
    http: httpx.AsyncClient | None = None
    cells: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The full server app on a real uvicorn (HTTP and websockets), over a ledger this
    module also writes to directly to set up each cell's object."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("authz") / "var", jwt_secret=SECRET)
    clock = FakeClock()
    ledger = Ledger(settings, clock=clock)
    read_side = ReadSide(settings, ledger, all_projections(), clock=clock)
    services = Services(ledger=ledger, read_side=read_side, metrics=Metrics())
    app = build_app(settings, services, embedded=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        assert time.monotonic() < deadline, "uvicorn did not start in time"
        time.sleep(0.01)
    parties = Parties(
        ledger, register_brand(ledger, "Purela"), register_creator(ledger, "sari.nano")
    )
    world = World(
        ledger,
        clock,
        parties,
        str(register_brand(ledger, "Rival Co")),
        str(register_creator(ledger, "someone.else")),
    )
    try:
        yield Served(f"127.0.0.1:{port}", world)
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@pytest.fixture
async def api(served: Served) -> AsyncIterator[Served]:
    async with httpx.AsyncClient(base_url=f"http://{served.url}", timeout=30) as http:
        served.http = http
        yield served


def _who(caller: str, owners: Parties, world: World) -> Who:
    brand_id, creator_id = _ids(owners)
    return {
        "anonymous": None,
        "own brand": ("brand", brand_id),
        "other brand": ("brand", world.other_brand),
        "own creator": ("creator", creator_id),
        "other creator": ("creator", world.other_creator),
        "auditor": ("auditor", "audit-1"),
        "admin": ("admin", "ops-1"),
    }[caller]


def _swap(value: Any, swaps: dict[str, str]) -> Any:
    text = json.dumps(value)
    for old, new in swaps.items():
        text = text.replace(old, new)
    return json.loads(text)


def _normalised(reply: Reply, ids: Any) -> str:
    text = reply.text
    for value in ids:
        text = text.replace(value, "<id>")
    return text


def _succeeded(cell: Cell, target: Target, reply: Reply) -> bool:
    if reply.body.get("errors") or reply.status != 200:
        return False
    result = reply.result()
    if cell.document.startswith("mutation"):
        return str(result.get("__typename", "")).endswith("Payload")
    if target.expect is not None:
        return target.expect in json.dumps(result)
    return "result" in (reply.body.get("data") or {})


async def _head(world: World) -> int:
    return await asyncio.to_thread(world.ledger.head_position)


async def _settle(served: Served) -> None:
    ledger, read_side = served.world.ledger, None
    del read_side
    deadline = time.monotonic() + 30
    assert served.http is not None
    while time.monotonic() < deadline:
        body = (
            await served.http.post("/graphql", json={"query": "{ projections { lag } }"})
        ).json()
        if all(p["lag"] == 0 for p in body["data"]["projections"]):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"projections did not catch up (head {ledger.head_position()})")


@pytest.mark.parametrize("cell", QUERIES + MUTATIONS, ids=str)
async def test_exactly_the_allowed_cells_succeed_and_refusals_reveal_nothing(
    api: Served, figures: Figures, cell: Cell
) -> None:
    world = api.world
    assert api.http is not None
    outcomes: dict[str, str] = {}
    refused = [c for c in CALLERS if c not in cell.allowed]
    shared = await asyncio.to_thread(cell.prepare, world)
    targets = dict.fromkeys(refused, shared)
    for caller in cell.allowed:
        targets[caller] = (
            shared
            if not cell.document.startswith("mutation")
            else (await asyncio.to_thread(cell.prepare, world))
        )
    world.clock.advance(seconds=cell.wait.total_seconds())
    await _settle(api)

    for caller in [*refused, *cell.allowed]:
        target = targets[caller]
        variables = target.variables
        if cell.field == "submitFeedback":
            variables = {"input": {**variables["input"], **_feedback_input(caller)}}
        who = _who(caller, target.owners, world)
        before = await _head(world)
        reply = await call(api.http, cell.document, variables, who=who)
        assert reply.status < 500, reply.text
        assert not leaks(reply.text), reply.text
        if caller in cell.allowed:
            assert _succeeded(cell, target, reply), f"{cell} by {caller}: {reply.text}"
            outcomes[caller] = "allowed"
            continue
        assert not _succeeded(cell, target, reply), f"{cell} by {caller} succeeded: {reply.text}"
        assert await _head(world) == before, f"{cell} by {caller} wrote events"
        if caller in cell.knows:
            assert reply.outcome() in {"FORBIDDEN", "INVALID_TRANSITION"}, reply.text
            outcomes[caller] = "refused, typed"
            continue
        swaps = {old: str(uuid.uuid4()) for old in target.ids}
        unknown = await call(api.http, cell.document, _swap(variables, swaps), who=who)
        same = _normalised(reply, target.ids) == _normalised(unknown, swaps.values())
        assert same, f"{cell} by {caller}: {reply.text} differs from unknown: {unknown.text}"
        outcomes[caller] = "denied as unknown"

    figures.add(
        "authorization",
        operations=1,
        cells=len(outcomes),
        allowed=sum(1 for o in outcomes.values() if o == "allowed"),
        denied_as_unknown=sum(1 for o in outcomes.values() if o == "denied as unknown"),
        refused_typed_to_callers_who_know_the_object=sum(
            1 for o in outcomes.values() if o == "refused, typed"
        ),
    )
    assert set(outcomes) == set(CALLERS)


def test_the_matrix_names_every_root_field_of_the_exported_schema() -> None:
    import graphql

    schema = graphql.build_schema(current_sdl())
    roots = [schema.query_type, schema.mutation_type, schema.subscription_type]
    fields = {name for root in roots if root for name in root.fields}
    covered = {cell.field for cell in QUERIES + MUTATIONS} | {"campaignEvents"}
    assert fields == covered, {"missing": fields - covered, "unknown": covered - fields}


async def _subscribe(url: str, who: Who, campaign_id: str) -> dict[str, Any]:
    """The first message answering a subscription (next, error or complete)."""
    async with connect(f"ws://{url}/graphql", subprotocols=[PROTOCOL], open_timeout=10) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": bearer(who)}))
        ack: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if ack["type"] != "connection_ack":
            return ack
        await ws.send(
            json.dumps(
                {
                    "type": "subscribe",
                    "id": "1",
                    "payload": {"query": SUBSCRIPTION, "variables": {"id": campaign_id}},
                }
            )
        )
        answer: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        return answer


@pytest.mark.parametrize("caller", CALLERS)
async def test_the_subscription_streams_to_readers_only_and_refuses_like_an_unknown_campaign(
    api: Served, figures: Figures, caller: str
) -> None:
    world = api.world
    scenario = await asyncio.to_thread(
        campaign_at, world.ledger, "CONCLUDED", parties=world.parties
    )
    campaign_id = str(scenario.campaign_id)
    who = _who(caller, world.parties, world)

    async def write_soon() -> None:
        await asyncio.sleep(0.3)
        await asyncio.to_thread(
            world.ledger.execute,
            scenario.brand(),
            CancelCampaign(campaign_id=scenario.campaign_id, reason="recall"),
        )

    writer = asyncio.create_task(write_soon())
    first = await _subscribe(api.url, who, campaign_id)
    await writer
    if caller in READERS:
        assert first["type"] == "next", first
        assert first["payload"]["data"]["campaignEvents"]["type"] == "CampaignCancelled"
        outcome = "allowed"
    else:
        unknown = str(uuid.uuid4())
        other = await _subscribe(api.url, who, unknown)
        assert first["type"] != "next" or first["payload"].get("errors"), first
        assert json.dumps(first).replace(campaign_id, "<id>") == json.dumps(other).replace(
            unknown, "<id>"
        ), (first, other)
        outcome = "denied as unknown"
    figures.add(
        "authorization",
        cells=1,
        allowed=int(outcome == "allowed"),
        denied_as_unknown=int(outcome != "allowed"),
        subscription_cells=1,
    )
