"""``docs/benchmarks.md``: the machine, the versions, the command, and one table per
section — figure, baseline, ratio, bar, met? — for each backend.

Each backend's part sits between markers, so a run on one backend replaces its
own part and keeps the other's.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

TITLE = "# Benchmarks"
PACKAGES = ("eventsourcing", "strawberry-graphql", "starlette", "uvicorn", "psycopg", "httpx")
SECTIONS = (
    "Data",
    "1. Read mix",
    "2. Read shapes",
    "3. Writes",
    "4. Read your writes",
    "5. Projections",
    "6. Replay",
    "7. Memory",
)


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    bar: str = ""
    met: bool | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)


@dataclass
class BackendReport:
    backend: str
    command: str
    started: str
    seconds: float
    machine: dict[str, str]
    versions: dict[str, str]
    sections: list[Section]
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            f"<!-- bench:{self.backend}:start -->",
            f"## {self.backend}",
            "",
            f"Run {self.started}, {self.seconds / 60:.1f} min, with:",
            "",
            "```",
            self.command,
            "```",
            "",
            "Machine: "
            + "; ".join(f"{name} {value}" for name, value in self.machine.items())
            + ".",
            "",
            "Versions: " + "; ".join(f"{n} {v}" for n, v in self.versions.items()) + ".",
            "",
        ]
        lines += [f"{note}" for note in self.notes]
        if self.notes:
            lines.append("")
        for section in self.sections:
            lines += [f"### {section.title}", ""]
            if section.rows:
                lines += [
                    "| figure | value | baseline | ratio | bar | met? |",
                    "|---|---|---|---|---|---|",
                ]
                for row in section.rows:
                    met = "" if row.met is None else ("yes" if row.met else "**no**")
                    cells = (row.figure, row.value, row.baseline, row.ratio, row.bar, met)
                    lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
                lines.append("")
            lines += [f"{note}" for note in section.notes]
            if section.notes:
                lines.append("")
        lines.append(f"<!-- bench:{self.backend}:end -->")
        return "\n".join(lines) + "\n"


def write_report(path: Path, part: BackendReport, preamble: str) -> None:
    """Replace this backend's part of ``path`` (keeping the others and any text
    outside the parts), creating the file with ``preamble`` if needed."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"{TITLE}\n\n{preamble}\n"
    rendered = part.render()
    pattern = re.compile(
        rf"<!-- bench:{part.backend}:start -->.*?<!-- bench:{part.backend}:end -->\n?", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: rendered, text)
    else:
        text = text.rstrip("\n") + "\n\n" + rendered
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_json(path: Path, part: BackendReport) -> None:
    """The same report as JSON: every row with its numbers under ``data``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_finite(asdict(part)), indent=2, default=str, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def _finite(value: Any) -> Any:
    """NaN (a figure with no sample) as JSON null."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "CPU": cpu,
        "kernel": platform.release(),
        "load average at start": f"{load:.2f}",
    }


def versions(postgres_server: str | None) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["SQLite"] = sqlite3.sqlite_version
    found["PostgreSQL server"] = postgres_server or "not used"
    return found
