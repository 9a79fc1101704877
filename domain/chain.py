"""The hash chain that lets the store prove it has not been altered.

Each event carries ``chain`` = SHA-256 over its predecessor's ``chain`` (empty
for an aggregate's first event), the event's topic, and the canonical JSON of
every other field as stored (ids, version, timestamp, actor, correlation,
causation, payload). Editing any stored event by hand breaks its digest, and
rewriting the digest breaks its successor's; ``campaign-ledger verify``
recomputes every chain and names the first event that does not match.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.canonical import canonical_json, sha256_hex
from domain.jsonable import to_jsonable

GENESIS = ""
UNHASHED_FIELDS = frozenset({"chain", "class_version"})


def chain_digest(previous: str, topic: str, fields: Mapping[str, Any]) -> str:
    body = {k: v for k, v in fields.items() if k not in UNHASHED_FIELDS}
    return sha256_hex(
        previous + "\n" + canonical_json({"topic": topic, "event": to_jsonable(body)})
    )
