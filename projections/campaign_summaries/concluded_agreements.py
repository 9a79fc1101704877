"""Which creators a brand has concluded an agreement with, from the campaign summaries.

A brand with a concluded agreement with a creator may see the creator's contact
e-mail (the rest of the creator's personal data only the creator and admins see).
An agreement concluded once counts for good: a campaign completed or cancelled
afterwards keeps its ``concluded_at``, while a pitch that was never signed by
both sides has none. One indexed query answers for a whole batch of creators.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from projections.campaign_summaries.projection import NAME
from projections.store.query import reading
from projections.store.readstore import ReadStore


def creators_with_concluded_agreement(
    store: ReadStore, brand_id: UUID, creator_ids: Iterable[UUID]
) -> set[UUID]:
    """Those of ``creator_ids`` with whom ``brand_id`` has concluded an agreement."""
    wanted = sorted({str(creator_id) for creator_id in creator_ids})
    if not wanted:
        return set()
    with reading(store) as q:
        rows = q.fetchall(
            f"SELECT DISTINCT creator_id FROM {q.table(NAME, 'campaigns')}"
            f" WHERE brand_id = ? AND concluded_at IS NOT NULL"
            f" AND creator_id IN ({', '.join('?' * len(wanted))})",
            [str(brand_id), *wanted],
        )
    return {UUID(str(row[0])) for row in rows}
