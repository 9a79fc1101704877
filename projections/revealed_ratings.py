"""Double-blind ratings: sealed while pending, folded into recency-weighted sums once revealed.

A submitted rating waits in a sealed table that no query reads; only
``FeedbackRevealed`` moves it into the per-dimension sums ``S0 = Σ 2^(t/H)`` and
``S1 = Σ 2^(t/H)·s`` (``t`` = when it was given, see :mod:`projections.formulas`)
and deletes it. Storing those sums rather than averages keeps the Bayesian
average exact at any later t_ref and independent of the order ratings arrive in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.campaign import Campaign
from domain.catalog import Party
from projections.formulas import bayesian_average, days_since_epoch, epoch_weight
from projections.machinery.base import ProjectionTx, TableSpec
from projections.store.columns import moment_text, parse_moment

SEALED_TABLE = TableSpec(
    columns={
        "campaign_id": "TEXT",
        "party": "TEXT",
        "scores": "JSON NOT NULL",
        "would_work_again": "INTEGER NOT NULL",
        "given_at": "TEXT NOT NULL",
    },
    primary_key=("campaign_id", "party"),
)
"""Submitted, not yet revealed feedback, keyed by campaign and rating party."""


def sums_table(subject: str) -> TableSpec:
    """Per (subject, dimension): how many revealed ratings, and their S0/S1 sums."""
    return TableSpec(
        columns={
            subject: "TEXT",
            "dimension": "TEXT",
            "ratings": "INTEGER NOT NULL",
            "s0": "REAL NOT NULL",
            "s1": "REAL NOT NULL",
        },
        primary_key=(subject, "dimension"),
    )


@dataclass(frozen=True)
class DimensionRating:
    """The Bayesian, recency-weighted average of one rating dimension."""

    dimension: str
    average: float
    count: int


@dataclass(frozen=True)
class Submission:
    """One side's revealed feedback."""

    party: Party
    scores: tuple[tuple[str, int], ...]
    would_work_again: bool
    given_at: datetime

    @property
    def mean(self) -> float:
        """The submission's overall rating: the mean of its dimensions."""
        return sum(score for _, score in self.scores) / len(self.scores)

    @property
    def weight(self) -> float:
        """Its time-independent weight factor ``2^(t/H)``."""
        return epoch_weight(days_since_epoch(self.given_at))


def seal(tx: ProjectionTx, event: Campaign.FeedbackSubmitted, logical: str) -> None:
    tx.write(
        f"INSERT INTO {tx.table(logical)}"
        " (campaign_id, party, scores, would_work_again, given_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (campaign_id, party) DO NOTHING",
        (
            str(event.originator_id),
            event.by,
            json.dumps(event.ratings.scores),
            int(event.would_work_again),
            moment_text(event.timestamp),
        ),
    )


def unseal(tx: ProjectionTx, campaign_id: str, logical: str) -> list[Submission]:
    """The campaign's sealed submissions, removed from the sealed table."""
    table = tx.table(logical)
    rows = tx.fetchall(
        f"SELECT party, scores, would_work_again, given_at FROM {table}"
        " WHERE campaign_id = ? ORDER BY party",
        (campaign_id,),
    )
    tx.write(f"DELETE FROM {table} WHERE campaign_id = ?", (campaign_id,))
    return [
        Submission(
            party=Party(party),
            scores=tuple((str(name), int(value)) for name, value in json.loads(scores)),
            would_work_again=bool(would_work_again),
            given_at=parse_moment(given_at),
        )
        for party, scores, would_work_again, given_at in rows
    ]


def add_to_sums(
    tx: ProjectionTx, logical: str, subject_column: str, subject_id: str, submission: Submission
) -> None:
    """Fold each dimension of a revealed submission into the subject's sums."""
    table = tx.table(logical)
    weight = submission.weight
    tx.executemany(
        f"INSERT INTO {table} ({subject_column}, dimension, ratings, s0, s1)"
        f" VALUES (?, ?, 1, ?, ?) ON CONFLICT ({subject_column}, dimension) DO UPDATE SET"
        f" ratings = {table}.ratings + 1, s0 = {table}.s0 + excluded.s0,"
        f" s1 = {table}.s1 + excluded.s1",
        [(subject_id, dimension, weight, weight * score) for dimension, score in submission.scores],
    )


def dimension_ratings(
    rows: Iterable[Sequence[Any]], k: float, order: Sequence[str]
) -> tuple[DimensionRating, ...]:
    """``(dimension, ratings, s0, s1)`` rows as Bayesian averages at reference factor ``k``,
    in the order of ``order`` (unknown dimensions last, by name)."""
    found = [
        DimensionRating(str(dimension), bayesian_average(float(s0), float(s1), k), int(count))
        for dimension, count, s0, s1 in rows
    ]
    rank = {name: index for index, name in enumerate(order)}
    return tuple(sorted(found, key=lambda r: (rank.get(r.dimension, len(rank)), r.dimension)))
