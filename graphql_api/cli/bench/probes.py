"""Measurements made on the library in a process of their own, so their memory and
CPU are theirs alone: ``python -m graphql_api.cli.bench.probes NAME ARGS_JSON`` prints
one JSON object. The bench runs each while no server is running on the store."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    PitchCampaign,
    PublishPost,
    RecordPostMetrics,
    SignAgreement,
)
from domain.context import Actor
from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.library_baseline import library_writes
from graphql_api.cli.bench.workflow import Pair, service_unit, service_writes, terms
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide

BRAND_REGISTERED = "domain.brand:Brand.Registered"
CREATOR_REGISTERED = "domain.creator:Creator.Registered"


def peak_rss_mb(pid: int | str = "self") -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _settings(args: dict[str, Any]) -> Settings:
    return Settings(data_dir=Path(args["data_dir"]), database_url=args.get("database_url"))


def parties(args: dict[str, Any]) -> dict[str, Any]:
    """Brand and creator ids, from the first registrations in the store."""
    brands: list[str] = []
    creators: list[str] = []
    with Ledger(_settings(args)) as ledger:
        position = 0
        while len(creators) < args["creators"] and position < args["scan"]:
            batch = ledger.recorder.select_notifications(position, 2000, inclusive_of_start=False)
            if not batch:
                break
            for notification in batch:
                if notification.topic == BRAND_REGISTERED:
                    brands.append(str(notification.originator_id))
                elif notification.topic == CREATOR_REGISTERED:
                    creators.append(str(notification.originator_id))
            position = batch[-1].id
    return {"brands": brands[: args["brands"]], "creators": creators[: args["creators"]]}


def _pairs(args: dict[str, Any]) -> list[Pair]:
    return [Pair(b, c) for b, c in args["pairs"]]


def writes(args: dict[str, Any]) -> dict[str, Any]:
    """The service baseline of the write benchmark: the same commands, no HTTP, no GraphQL."""
    with Ledger(_settings(args)) as ledger:
        service_unit(ledger, _pairs(args)[0])
        return service_writes(
            ledger, _pairs(args)[1:], seconds=args["seconds"], max_writes=args["max_writes"]
        )


def library(args: dict[str, Any]) -> dict[str, Any]:
    """The library baseline of the write benchmark, at each thread count asked for."""
    settings = _settings(args)
    return {
        str(threads): library_writes(
            settings,
            Path(args["scratch"]),
            threads=threads,
            seconds=args["seconds"],
            max_writes=args["max_writes"],
        )
        for threads in args["threads"]
    }


def rebuild(args: dict[str, Any]) -> dict[str, Any]:
    """Reading and decoding every notification without processing (the baseline),
    then the full rebuild of every projection, as ``campaign-ledger rebuild`` does."""
    settings = _settings(args)
    with Ledger(settings) as ledger:
        head = ledger.head_position()
        batch = args.get("batch_size", 500)
        began = time.perf_counter()
        position, decoded = 0, 0
        while position < head:
            notifications = ledger.recorder.select_notifications(
                position, batch, stop=head, inclusive_of_start=False
            )
            if not notifications:
                break
            for notification in notifications:
                ledger.mapper.to_domain_event(notification)
            decoded += len(notifications)
            position = notifications[-1].id
        raw_seconds = time.perf_counter() - began
        with ReadSide(settings, ledger, all_projections()) as read_side:
            began = time.perf_counter()
            results = read_side.rebuild()
            rebuild_seconds = time.perf_counter() - began
    return {
        "head": head,
        "decoded": decoded,
        "raw_seconds": raw_seconds,
        "rebuild_seconds": rebuild_seconds,
        "projections": [f"{r.name} v{r.version}" for r in results],
        "projection_seconds": {f"{r.name} v{r.version}": r.seconds for r in results},
    }


def long_campaigns(args: dict[str, Any]) -> dict[str, Any]:
    """Two campaigns of ``events`` events each, one saved with snapshots (every 50
    versions, as configured) and one without any."""
    settings = _settings(args)
    pair = _pairs(args)[0]
    found: dict[str, Any] = {}
    for label, kind in (("with_snapshots", Ledger), ("without_snapshots", _UnsnapshottedLedger)):
        with kind(settings) as ledger:
            found[label] = _long_campaign(ledger, pair, args["events"])
    return found


class _UnsnapshottedLedger(Ledger):
    """The same application (same name, same tables) saving no snapshots."""

    name = Ledger.name
    snapshotting_intervals = {}


def _long_campaign(ledger: Ledger, pair: Pair, events: int) -> str:
    """Pitch to published post, then metric snapshots up to ``events`` events, on a
    clock that starts far enough back for every moment to be in the past; each
    command's moments are the time its context was taken."""
    moment = [datetime.now(UTC) - timedelta(hours=events + 10)]

    def clock() -> datetime:
        moment[0] += timedelta(minutes=30)
        return moment[0]

    ledger.clock = clock
    brand, creator = Actor.brand(pair.brand_id), Actor.creator(pair.creator_id)
    result = ledger.execute(
        ledger.context(brand),
        PitchCampaign(
            brand_id=UUID(pair.brand_id),
            creator_id=UUID(pair.creator_id),
            message="Bench long campaign",
            terms=terms(moment[0].date()),
        ),
    )
    cid = result.aggregate_id
    ledger.execute(ledger.context(creator), AcceptPitch(campaign_id=cid))
    digest = ledger.get_campaign(cid).terms.digest
    for signer in (brand, creator):
        ledger.execute(ledger.context(signer), SignAgreement(campaign_id=cid, terms_digest=digest))
    ledger.execute(
        ledger.context(creator),
        PublishPost(
            campaign_id=cid,
            deliverable_id="d1",
            url=f"https://social.example/bench/{cid.hex}",
            published_at=moment[0],
            caption="Bench long campaign #ad",
        ),
    )
    version = ledger.get_campaign(cid).version
    for step in range(version, events):
        ledger.execute(
            ledger.context(creator),
            RecordPostMetrics(
                campaign_id=cid,
                deliverable_id="d1",
                observed_at=moment[0],
                followers=5_000,
                likes=step,
                comments=step // 10,
            ),
        )
    return str(cid)


PROBES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "parties": parties,
    "writes": writes,
    "library": library,
    "rebuild": rebuild,
    "long_campaigns": long_campaigns,
}


def main(argv: list[str]) -> int:
    name, raw = argv[1], argv[2]
    args = json.loads(Path(raw[1:]).read_text() if raw.startswith("@") else raw)
    began = time.perf_counter()
    result = PROBES[name](args)
    result["probe_seconds"] = time.perf_counter() - began
    result["peak_rss_mb"] = peak_rss_mb()
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
