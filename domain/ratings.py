"""Feedback ratings: one score 1–5 per dimension of the rated side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.catalog import BRAND_RATING_DIMENSIONS, CREATOR_RATING_DIMENSIONS, Party
from domain.errors import ValidationError


def dimensions_rated_by(party: Party) -> tuple[str, ...]:
    """A brand rates the creator's work; a creator rates the brand as a client."""
    return BRAND_RATING_DIMENSIONS if party is Party.BRAND else CREATOR_RATING_DIMENSIONS


@dataclass(frozen=True)
class Ratings:
    scores: tuple[tuple[str, int], ...]

    @classmethod
    def create(cls, rater: Party, data: Mapping[str, object]) -> Ratings:
        expected = dimensions_rated_by(rater)
        unknown = sorted(set(data) - set(expected))
        if unknown:
            raise ValidationError(
                f"unknown rating dimension(s) {', '.join(unknown)}; expected {', '.join(expected)}",
                field="ratings",
            )
        scores = []
        for dimension in expected:
            if dimension not in data:
                raise ValidationError(f"missing rating for {dimension}", field="ratings")
            score = data[dimension]
            if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
                raise ValidationError(
                    f"rating for {dimension} must be an integer from 1 to 5",
                    field=f"ratings.{dimension}",
                )
            scores.append((dimension, score))
        return cls(tuple(scores))

    def as_dict(self) -> dict[str, int]:
        return dict(self.scores)

    @property
    def mean(self) -> float:
        return sum(score for _, score in self.scores) / len(self.scores)

    def to_json(self) -> dict[str, Any]:
        return self.as_dict()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Ratings:
        return cls(tuple((str(k), int(v)) for k, v in data.items()))
