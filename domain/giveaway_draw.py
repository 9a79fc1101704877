"""The verifiable giveaway draw.

At announcement the creator commits to a secret seed by publishing
``SHA-256(seed)``; at the draw the seed is revealed. Winners are a pure function
anyone can recompute::

    pool    = sorted(set(entries))
    rank(e) = SHA-256(seed_utf8 || 0x00 || e_utf8)        (raw 32-byte digest)
    winners = the first ``winner_count`` entries of pool sorted by (rank(e), e)

The order of recorded entries does not matter, every entry has the same chance
(SHA-256 behaves as a random permutation of the pool), and nobody — not even
the creator, bound by the commitment — can choose the outcome after entries close.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from domain.canonical import digest_of, sha256_hex
from domain.errors import ValidationError

SEED_MIN = 16
SEED_MAX = 200


def commitment_for(seed: str) -> str:
    return sha256_hex(seed)


def entries_digest(entries: Iterable[str]) -> str:
    """SHA-256 of the canonical JSON list of the sorted, de-duplicated entries."""
    return digest_of(sorted(set(entries)))


def _rank(seed: bytes, entry: str) -> bytes:
    return hashlib.sha256(seed + b"\x00" + entry.encode("utf-8")).digest()


def draw_winners(seed: str, entries: Iterable[str], winner_count: int) -> tuple[str, ...]:
    """The winners, best rank first; every entry wins when there are fewer than asked."""
    if winner_count < 1:
        raise ValidationError("winner_count must be at least 1", field="winner_count")
    seed_bytes = seed.encode("utf-8")
    pool = sorted(set(entries))
    ranked = sorted(pool, key=lambda entry: (_rank(seed_bytes, entry), entry))
    return tuple(ranked[:winner_count])


def check_seed(seed: object) -> str:
    if not isinstance(seed, str) or not SEED_MIN <= len(seed) <= SEED_MAX:
        raise ValidationError(
            f"the seed must be a string of {SEED_MIN}–{SEED_MAX} characters", field="seed"
        )
    return seed


def check_commitment(commitment: object) -> str:
    text = commitment.lower() if isinstance(commitment, str) else ""
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ValidationError(
            "the seed commitment must be a SHA-256 hex digest", field="seed_commitment"
        )
    return text
