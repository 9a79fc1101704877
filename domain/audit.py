"""Audit views straight from the event store: a campaign's full history with
metadata, and its state as of any version or moment, by replay.

Nothing here comes from a projection, so an auditor sees exactly what was
recorded. Ratings of a feedback submission stay hidden from the other party
until the feedback is revealed (double-blind), unless the viewer reads all.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import PersistenceError

from domain.base import LedgerAggregate
from domain.campaign import Campaign
from domain.campaign_view import CampaignView, fold
from domain.catalog import Party
from domain.errors import NotFound, StoreUnavailable, ValidationError
from domain.infrastructure.lru import Lru, PerOwner
from domain.jsonable import to_jsonable

if TYPE_CHECKING:
    from domain.application import Ledger
    from domain.application.pipeline import CommandResult

METADATA_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "actor",
        "correlation_id",
        "causation_id",
        "chain",
    }
)
SEALED = "sealed until feedback is revealed"
LATEST_VIEWS = 256
"""How many campaigns' latest views a process keeps (see :class:`LatestViews`)."""


@dataclass(frozen=True)
class RecordedEvent:
    aggregate_id: UUID
    aggregate_type: str
    type: str
    version: int
    timestamp: datetime
    actor: str
    correlation_id: str
    causation_id: str | None
    chain: str
    payload: dict[str, Any]

    @classmethod
    def of(cls, event: LedgerAggregate.Event) -> RecordedEvent:
        aggregate_type, _, event_type = type(event).__qualname__.rpartition(".")
        payload = {
            name: to_jsonable(value)
            for name, value in vars(event).items()
            if name not in METADATA_FIELDS
        }
        return cls(
            aggregate_id=event.originator_id,
            aggregate_type=aggregate_type,
            type=event_type,
            version=event.originator_version,
            timestamp=event.timestamp,
            actor=event.actor,
            correlation_id=event.correlation_id,
            causation_id=event.causation_id,
            chain=event.chain,
            payload=payload,
        )

    def sealed(self) -> RecordedEvent:
        """The same event with the ratings, comment and would-work-again withheld."""
        payload = {
            k: (SEALED if k in {"ratings", "comment", "would_work_again"} else v)
            for k, v in self.payload.items()
        }
        return RecordedEvent(**{**vars(self), "payload": payload})


def _events(app: Ledger, campaign_id: UUID) -> list[LedgerAggregate.Event]:
    app.get_campaign(campaign_id)
    return [e for e in app.events.get(campaign_id) if isinstance(e, LedgerAggregate.Event)]


def campaign_history(
    app: Ledger, campaign_id: UUID, *, viewer: Party | None = None
) -> list[RecordedEvent]:
    """Every event of the campaign in order. A party (``viewer``) sees the other
    side's feedback only once revealed; ``None`` means an auditor who sees all."""
    events = _events(app, campaign_id)
    revealed = any(isinstance(e, Campaign.FeedbackRevealed) for e in events)
    return [visible_to(RecordedEvent.of(e), viewer, revealed) for e in events]


def visible_to(event: RecordedEvent, viewer: Party | None, revealed: bool) -> RecordedEvent:
    """The event as ``viewer`` may see it: the other side's feedback sealed until revealed."""
    if (
        viewer is not None
        and not revealed
        and event.type == "FeedbackSubmitted"
        and event.payload.get("by") != viewer.value
    ):
        return event.sealed()
    return event


def campaign_as_of(
    app: Ledger, campaign_id: UUID, *, version: int | None = None, at: datetime | None = None
) -> Campaign:
    """The campaign as it stood at a version, or at a moment (the last event at or
    before it); latest when neither is given."""
    if version is not None and at is not None:
        raise ValidationError("give a version or a moment, not both", field="version")
    if version is not None and version < 1:
        raise ValidationError("version starts at 1", field="version")
    if at is not None:
        if at.tzinfo is None:
            raise ValidationError("the moment must carry a timezone", field="at")
        version = _version_at(app, campaign_id, at)
    campaign = app.get_campaign(campaign_id)
    if version is not None and version > campaign.version:
        raise ValidationError(
            f"version {version} is past the campaign's latest version {campaign.version}",
            field="version",
        )
    if version is None or version == campaign.version:
        return campaign
    return app.get_campaign(campaign_id, version=version)


def _version_at(app: Ledger, campaign_id: UUID, at: datetime) -> int:
    app.get_campaign(campaign_id)
    for event in app.events.get(campaign_id, desc=True):
        if isinstance(event, LedgerAggregate.Event) and event.timestamp <= at:
            return event.originator_version
    raise NotFound("campaign", f"{campaign_id} at {at.isoformat()}")


def campaign_view(
    app: Ledger, campaign_id: UUID, *, version: int | None = None, at: datetime | None = None
) -> CampaignView:
    """The readable campaign — offers, drafts, posts with metrics, giveaways,
    payments, feedback — folded from its events up to a version or a moment.

    The newest view folded of each recently read campaign is kept, so reading a
    long campaign again folds only the events recorded since (see
    :class:`LatestViews`); an earlier version is folded from the first event.
    """
    if version is not None and at is not None:
        raise ValidationError("give a version or a moment, not both", field="version")
    if version is not None and version < 1:
        raise ValidationError("version starts at 1", field="version")
    if at is not None:
        if at.tzinfo is None:
            raise ValidationError("the moment must carry a timezone", field="at")
        version = _version_at(app, campaign_id, at)
    view = _folded(app, campaign_id, version)
    if version is not None and version > view.version:
        raise VersionPastHead(view, version)
    return view


def _folded(app: Ledger, campaign_id: UUID, version: int | None) -> CampaignView:
    latest = _latest_views(app)
    known = latest.get(campaign_id)
    if known is not None and (version is None or version >= known.version):
        if version == known.version:
            return known
        later = _events_between(app, campaign_id, after=known.version, upto=version)
        if not later:
            return known
        view = fold(later, start=deepcopy(known))
    else:
        view = fold(_events_between(app, campaign_id, after=None, upto=version))
    if view is None:
        raise NotFound("campaign", campaign_id)
    latest.put(view)
    return view


def campaign_view_after(app: Ledger, result: CommandResult) -> CampaignView:
    """The view exactly at the version a command left the campaign at, folded from
    the events the command produced onto the view before them — the newest view
    kept, or none for a new campaign — without reading the store; read as
    :func:`campaign_view` does when those are not at hand (an idempotent replay, a
    view not kept)."""
    events = result.events
    if events and events[-1].originator_version == result.version:
        latest = _latest_views(app)
        first = events[0].originator_version
        view: CampaignView | None = None
        if first == 1:
            view = fold(events)
        else:
            known = latest.get(result.aggregate_id)
            if known is not None and known.version == first - 1:
                view = fold(events, start=deepcopy(known))
        if view is not None and view.version == result.version:
            latest.put(view)
            return view
    return campaign_view(app, result.aggregate_id, version=result.version)


class VersionPastHead(ValidationError):
    """A version the campaign has not reached. It carries the campaign's latest view,
    so a caller that may not see the campaign can be told it does not exist instead."""

    def __init__(self, latest: CampaignView, version: int) -> None:
        super().__init__(
            f"version {version} is past the campaign's latest version {latest.version}",
            field="version",
        )
        self.latest = latest


def _events_between(
    app: Ledger, campaign_id: UUID, *, after: int | None, upto: int | None
) -> list[LedgerAggregate.Event]:
    try:
        return [
            e
            for e in app.events.get(campaign_id, gt=after, lte=upto)
            if isinstance(e, LedgerAggregate.Event)
        ]
    except PersistenceError as error:
        raise StoreUnavailable(f"the event store is unreachable: {error}") from None


class LatestViews:
    """The newest folded view of the campaigns read most recently, in one process.

    A view handed out is shared and never changed again: a newer one is folded
    into a copy. Replaying the events after a kept view gives exactly the view
    a fold from the first event gives, since folding is event by event.
    """

    def __init__(self, size: int = LATEST_VIEWS) -> None:
        self._views: Lru[UUID, CampaignView] = Lru(size)

    def get(self, campaign_id: UUID) -> CampaignView | None:
        return self._views.get(campaign_id)

    def put(self, view: CampaignView) -> None:
        self._views.put(view.id, view, replaces=lambda kept: kept.version < view.version)


_LATEST: PerOwner[LatestViews] = PerOwner(LatestViews)


def _latest_views(app: Ledger) -> LatestViews:
    return _LATEST.of(app)
