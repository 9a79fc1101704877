"""The benchmark's data: a store generated once by the ``seed-demo`` generator and
reused by later runs, with how long generation took kept beside it."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

from domain.application import Ledger
from domain.infrastructure.settings import Settings
from graphql_api.demo import MarketSize, seed_demo

META_FILE = "bench-dataset.json"
EVENTS_PER_CAMPAIGN = 25
EVENTS_PER_CREATOR = 100
EVENTS_PER_BRAND = 2_000


@dataclass(frozen=True)
class Dataset:
    """What a store holds and how it came to be."""

    backend: str
    creators: int
    brands: int
    campaigns: int
    events: int
    commands: int
    generation_seconds: float
    generated_at: str

    @property
    def events_per_second(self) -> float:
        return self.events / self.generation_seconds if self.generation_seconds else 0.0


def size_for_events(events: int) -> MarketSize:
    """A market of roughly ``events`` events, in the proportions of the 1M data set
    (10,000 creators, 500 brands, 40,000 campaigns)."""
    return MarketSize(
        creators=max(20, events // EVENTS_PER_CREATOR),
        brands=max(4, events // EVENTS_PER_BRAND),
        campaigns=max(20, events // EVENTS_PER_CAMPAIGN),
    )


def load_dataset(settings: Settings) -> Dataset | None:
    """The recorded data set, if the store still holds it: earlier bench runs only
    add events (their writes), so the head is at least the recorded one."""
    path = settings.data_dir / META_FILE
    if not path.exists():
        return None
    recorded = Dataset(**json.loads(path.read_text(encoding="utf-8")))
    with Ledger(settings) as ledger:
        head = ledger.head_position()
    if head < recorded.events or recorded.backend != settings.backend:
        return None
    return recorded


def generate_dataset(settings: Settings, size: MarketSize, report: object = None) -> Dataset:
    """Generate into an empty store; commits are not synced (it can be generated again)."""
    with Ledger(settings) as ledger:
        if ledger.head_position() != 0:
            raise ValueError(
                "the store is not empty and holds no recorded bench data set; "
                "point --data-dir (or the PostgreSQL database) at an empty store"
            )
    began = time.perf_counter()
    progress = report if callable(report) else None
    stats = seed_demo(settings, size, progress, durable=False)
    dataset = Dataset(
        backend=settings.backend,
        creators=stats.creators,
        brands=stats.brands,
        campaigns=stats.campaigns,
        events=stats.events,
        commands=stats.commands,
        generation_seconds=round(time.perf_counter() - began, 1),
        generated_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / META_FILE).write_text(
        json.dumps(asdict(dataset), indent=2), encoding="utf-8"
    )
    return dataset


def store_bytes(settings: Settings) -> dict[str, int]:
    """Bytes on disk: the event store and the read models."""
    if settings.backend == "postgres":
        target = settings.postgres
        with psycopg.connect(target.conninfo(), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
            ).fetchall()
            database = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        events = sum(size for name, size in rows if name.startswith("campaignledger_"))
        total = sum(size for _, size in rows)
        return {
            "events": events,
            "read_models": total - events,
            "database": int(database[0]) if database else total,
        }
    events = _file_bytes(settings.events_path)
    read_models = _file_bytes(settings.read_models_path)
    return {"events": events, "read_models": read_models, "database": events + read_models}


def _file_bytes(path: Path) -> int:
    return sum(
        candidate.stat().st_size
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if candidate.exists()
    )
