"""Searching the creator directory: filters and sort orders, all in SQL.

Each filter is an indexed condition on the directory's tables (``EXISTS`` on
the niche, cause, account and rate-line child tables), and each sort order is
a keyset over ``(sort key, creator id)`` in either direction, so a page costs
one bounded query however large the directory grows. Creators without a score
or a matching price sort last in both directions: their sort key is a sentinel
beyond every real value at the end the direction reaches last. The reputation
score belongs to the reputation read model; it comes in as that model's own
SQL expression (:func:`projections.reputation.queries.score_sql`), so the SQL
sort agrees with the score shown and this module never restates the formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum
from functools import partial
from typing import Any

from domain.catalog import ContentFormat, Platform, Tier
from projections.creator_directory.projection import NAME
from projections.creator_directory.queries import DirectoryEntry, load_entries
from projections.reputation.queries import reference_factor_of, score_sql
from projections.reputation.tables import NAME as REPUTATION
from projections.store.pages import Page, build_page, check_first, decode_cursor
from projections.store.query import QueryTx, cached_read
from projections.store.readstore import ReadStore, Value

NO_PRICE_ASCENDING = 1 << 62
"""Sort key of creators without a matching rate line, cheapest first: above every price."""
NO_PRICE_DESCENDING = -1
"""The same, dearest first: below every price (prices are positive)."""
NO_SCORE_DESCENDING = -1.0
"""Sort key of creators without a score, highest first: below every real score (0–100)."""
NO_SCORE_ASCENDING = 101.0
"""The same, lowest first: above every real score."""
SHOWN_SCORE_ROUNDING = 0.05
"""Scores are shown rounded to one decimal; a minimum applies to the shown value."""


class DirectoryOrder(StrEnum):
    SCORE = "SCORE"
    """By reputation score, highest first unless ascending; creators without one last."""
    FOLLOWERS = "FOLLOWERS"
    """By largest following, largest first unless ascending."""
    PRICE = "PRICE"
    """By cheapest matching rate-card line, cheapest first unless descending; creators
    without one last."""

    @property
    def natural_descending(self) -> bool:
        """The direction an order takes when none is asked for: best, biggest, cheapest first."""
        return self is not DirectoryOrder.PRICE


@dataclass(frozen=True)
class _Sql:
    text: str
    params: tuple[Value, ...] = ()


@dataclass(frozen=True)
class _Wanted:
    """The filters of a search, normalised: equal searches compare equal."""

    text: str | None
    tiers: tuple[str, ...]
    niches: tuple[str, ...]
    causes: tuple[str, ...]
    platforms: tuple[str, ...]
    line: _Sql | None
    min_score: float | None


@dataclass(frozen=True)
class DirectorySearch:
    """A search of the directory, normalised and checked: equal searches compare equal,
    so a search is its own cache key."""

    order: DirectoryOrder
    descending: bool
    wanted: _Wanted
    line: _Sql
    keyset_after: tuple[Value, ...] | None
    first: int
    after: str | None

    @property
    def listing(self) -> str:
        return f"creators:{self.order.value}:{'DESC' if self.descending else 'ASC'}"

    @property
    def scored(self) -> bool:
        """Whether the search reads the reputation score (to sort or to filter by)."""
        return self.order is DirectoryOrder.SCORE or self.wanted.min_score is not None

    @property
    def read_models(self) -> tuple[str, ...]:
        """The projections whose rows the search reads."""
        return (NAME, REPUTATION) if self.scored else (NAME,)


def directory_search(
    *,
    text: str | None = None,
    tiers: Iterable[Tier] | None = None,
    niches: Iterable[str] | None = None,
    causes: Iterable[str] | None = None,
    platforms: Iterable[Platform] | None = None,
    format: ContentFormat | None = None,
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    currency: str = "IDR",
    min_score: float | None = None,
    order_by: DirectoryOrder = DirectoryOrder.SCORE,
    descending: bool | None = None,
    first: int = 20,
    after: str | None = None,
) -> DirectorySearch:
    """The search :func:`search_creators` describes, checked (a bad page size or a
    cursor of another order raises :class:`~projections.store.pages.InvalidPageRequest`)."""
    check_first(first)
    order = DirectoryOrder(order_by)
    if descending is None:
        descending = order.natural_descending
    direction = "DESC" if descending else "ASC"
    line = _line_conditions(_platforms(platforms), format, price_min, price_max, currency)
    wanted = _Wanted(
        text=text.strip() if text and text.strip() else None,
        tiers=tuple(sorted({Tier(t).value for t in tiers or ()})),
        niches=_tags(niches),
        causes=_tags(causes),
        platforms=tuple(_platforms(platforms)),
        line=line if (format, price_min, price_max) != (None, None, None) else None,
        min_score=min_score,
    )
    keyset_after = None
    if after is not None:
        kinds = (int if order is not DirectoryOrder.SCORE else float, str)
        keyset_after = decode_cursor(f"creators:{order.value}:{direction}", after, kinds)
    return DirectorySearch(order, descending, wanted, line, keyset_after, first, after)


def search_creators(store: ReadStore, **search: Any) -> Page[DirectoryEntry]:
    """Creators matching every given filter; within a list filter, any value matches.

    ``text`` matches part of the handle or display name. ``platforms`` keeps
    creators with an account on one of them. ``format``, ``price_min`` and
    ``price_max`` keep creators with a rate-card line of that format, priced in
    ``currency`` within the range (on one of ``platforms``, if given); the PRICE
    order sorts by the cheapest such line. ``min_score`` compares the score as
    shown (rounded to one decimal); creators without a score never pass it.
    ``descending`` reverses an order (None: the order's natural direction); a
    cursor belongs to one order and direction and is refused by any other.
    The arguments are those of :func:`directory_search`.
    """
    wanted = directory_search(**search)
    return cached_read(
        store, wanted.read_models, (search_creators.__name__, wanted), partial(search_in, wanted)
    )


def search_in(search: DirectorySearch, q: QueryTx) -> Page[DirectoryEntry]:
    """The page ``search`` asks for, read in the caller's snapshot (never cached here)."""
    wanted, line, order, descending = search.wanted, search.line, search.order, search.descending
    direction = "DESC" if descending else "ASC"
    tables = {t: q.table(NAME, t) for t in ("creators", "niches", "causes", "accounts", "rates")}
    joined = _score_join(q) if search.scored else _Sql("")
    counted = joined if wanted.min_score is not None else _Sql("")
    where = _filters(tables, wanted)
    key = _sort_key(order, descending, tables["rates"], line)
    total = q.scalar(
        f"SELECT COUNT(*) FROM {tables['creators']} c {counted.text} WHERE {where.text}",
        [*counted.params, *where.params],
    )
    keyset = _Sql("")
    if search.keyset_after is not None:
        keyset = _Sql(
            f"WHERE (d.sort_key, d.creator_id) {'<' if descending else '>'} (?, ?)",
            search.keyset_after,
        )
    first = search.first
    rows = q.fetchall(
        f"SELECT d.creator_id, d.sort_key FROM (SELECT c.creator_id, {key.text} AS sort_key"
        f" FROM {tables['creators']} c {joined.text} WHERE {where.text}) d {keyset.text}"
        f" ORDER BY d.sort_key {direction}, d.creator_id {direction} LIMIT ?",
        [*key.params, *joined.params, *where.params, *keyset.params, first + 1],
    )
    entries = load_entries(q, (creator_id for creator_id, _ in rows[:first]))
    return build_page(
        rows,
        first=first,
        total_count=int(total),
        after=search.after,
        listing=search.listing,
        key_of=lambda row: (row[1], row[0]),
        node_of=lambda row: entries[row[0]],
    )


def _score_join(q: QueryTx) -> _Sql:
    """Joins the unrounded reputation score as ``s.score`` (NULL without a score)."""
    scored = score_sql("r", reference_factor_of(q))
    return _Sql(
        f"LEFT JOIN (SELECT r.creator_id, {scored.expression} AS score"
        f" FROM {q.table(REPUTATION, 'creators')} r) s ON s.creator_id = c.creator_id",
        scored.params,
    )


def _filters(tables: dict[str, str], wanted: _Wanted) -> _Sql:
    conditions = ["1 = 1"]
    params: list[Value] = []
    if wanted.text is not None:
        pattern = "%" + _escape_like(wanted.text.lower()) + "%"
        conditions.append(
            "(LOWER(c.handle) LIKE ? ESCAPE '!' OR LOWER(c.display_name) LIKE ? ESCAPE '!')"
        )
        params += [pattern, pattern]
    if wanted.tiers:
        conditions.append(f"c.tier IN ({_marks(wanted.tiers)})")
        params += wanted.tiers
    for logical, column, tags in (
        ("niches", "niche", wanted.niches),
        ("causes", "cause", wanted.causes),
    ):
        if tags:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {tables[logical]} t WHERE t.creator_id = c.creator_id"
                f" AND t.{column} IN ({_marks(tags)}))"
            )
            params += tags
    if wanted.platforms:
        conditions.append(
            f"EXISTS (SELECT 1 FROM {tables['accounts']} a WHERE a.creator_id = c.creator_id"
            f" AND a.platform IN ({_marks(wanted.platforms)}))"
        )
        params += wanted.platforms
    line = wanted.line
    if line is not None:
        conditions.append(
            f"EXISTS (SELECT 1 FROM {tables['rates']} r WHERE r.creator_id = c.creator_id"
            f" AND {line.text})"
        )
        params += line.params
    if wanted.min_score is not None:
        conditions.append("s.score >= ?")
        params.append(float(wanted.min_score) - SHOWN_SCORE_ROUNDING)
    return _Sql(" AND ".join(conditions), tuple(params))


def _line_conditions(
    platforms: list[str],
    format: ContentFormat | None,
    price_min: Decimal | None,
    price_max: Decimal | None,
    currency: str,
) -> _Sql:
    """Which rate-card lines count, for the price filter and the PRICE order."""
    conditions = ["r.currency = ?"]
    params: list[Value] = [currency.upper()]
    if platforms:
        conditions.append(f"r.platform IN ({_marks(platforms)})")
        params += platforms
    if format is not None:
        conditions.append("r.format = ?")
        params.append(ContentFormat(format).value)
    if price_min is not None:
        conditions.append("r.price_cents >= ?")
        params.append(int((Decimal(price_min) * 100).to_integral_value(ROUND_CEILING)))
    if price_max is not None:
        conditions.append("r.price_cents <= ?")
        params.append(int((Decimal(price_max) * 100).to_integral_value(ROUND_FLOOR)))
    return _Sql(" AND ".join(conditions), tuple(params))


def _sort_key(order: DirectoryOrder, descending: bool, rates: str, line: _Sql) -> _Sql:
    if order is DirectoryOrder.FOLLOWERS:
        return _Sql("c.max_followers")
    if order is DirectoryOrder.SCORE:
        unscored = NO_SCORE_DESCENDING if descending else NO_SCORE_ASCENDING
        return _Sql(f"COALESCE(s.score, {unscored!r})")
    unpriced = NO_PRICE_DESCENDING if descending else NO_PRICE_ASCENDING
    return _Sql(
        f"COALESCE((SELECT MIN(r.price_cents) FROM {rates} r"
        f" WHERE r.creator_id = c.creator_id AND {line.text}), {unpriced})",
        line.params,
    )


def _tags(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted({v.strip().lower() for v in values or () if v.strip()}))


def _platforms(platforms: Iterable[Platform] | None) -> list[str]:
    return sorted({Platform(p).value for p in platforms or ()})


def _marks(values: Sequence[str]) -> str:
    return ", ".join("?" * len(values))


def _escape_like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
