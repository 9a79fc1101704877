"""Auditor commands: replay a campaign, export events, re-check a giveaway draw."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from rich.console import Console
from rich.table import Table

from domain.application import Ledger
from domain.application.commands import ForgetCreator
from domain.audit import RecordedEvent, campaign_history, campaign_view
from domain.base import LedgerAggregate
from domain.campaign import Campaign
from domain.context import Actor
from domain.errors import NotFound, ValidationError
from domain.giveaway_draw import commitment_for, draw_winners, entries_digest
from domain.infrastructure.settings import Settings
from domain.jsonable import to_jsonable
from graphql_api.cli.subcommand import Subcommand, argument, non_negative_int

EXPORT_BATCH = 1_000


def _campaign_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound("campaign", text) from None


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"--at {text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ValidationError("--at needs a timezone, e.g. 2026-03-02T09:00:00Z")
    return moment


def _summary(event: RecordedEvent) -> str:
    interesting = {k: v for k, v in event.payload.items() if k not in {"terms", "entries"}}
    if "entries" in event.payload:
        interesting["entries"] = f"{len(event.payload['entries'])} handles"
    text = json.dumps(interesting, ensure_ascii=False)
    return text if len(text) <= 90 else text[:87] + "..."


def replay(args: argparse.Namespace) -> int:
    if args.version is not None and args.at is not None:
        raise ValidationError("give --version or --at, not both")
    campaign_id = _campaign_id(args.campaign_id)
    at = _moment(args.at) if args.at else None
    with Ledger(Settings.from_env()) as ledger:
        view = campaign_view(ledger, campaign_id, version=args.version, at=at)
        events = [e for e in campaign_history(ledger, campaign_id) if e.version <= view.version]
    table = Table(title=f"Campaign {campaign_id}")
    for column in ("v", "time (UTC)", "event", "actor", "details"):
        table.add_column(column, overflow="fold")
    for event in events:
        table.add_row(
            str(event.version),
            event.timestamp.strftime("%Y-%m-%d %H:%M"),
            event.type,
            event.actor,
            _summary(event),
        )
    console = Console(width=max(Console().width, 120))
    console.print(table)
    cash = view.terms.compensation.cash
    console.print(
        f"state {view.state.value} at version {view.version} ({view.updated_at:%Y-%m-%d %H:%M}); "
        f"offers {len(view.offers)}; posts {len(view.posts)}/{view.terms.units_due}; "
        f"fee {cash or 'none'}; paid {view.paid or 'n/a'}; "
        f"feedback {'revealed' if view.feedback_revealed_at else 'sealed'}",
        soft_wrap=True,
    )
    return 0


REPLAY = Subcommand(
    name="replay",
    help="show a campaign's timeline and its state, as of a version or a moment",
    handler=replay,
    arguments=(
        argument("campaign_id"),
        argument("--version", type=int, help="replay up to this version"),
        argument("--at", help="replay up to this moment (ISO 8601 with timezone)"),
    ),
)


def export_records(
    ledger: Ledger, *, since: int = 0, campaign: UUID | None = None
) -> Iterator[dict[str, Any]]:
    """Events after ``since`` in store order, as JSON-ready dicts with a fixed key order."""
    start = since + 1
    while True:
        notifications = ledger.recorder.select_notifications(start, EXPORT_BATCH)
        if not notifications:
            return
        for notification in notifications:
            if campaign is not None and notification.originator_id != campaign:
                continue
            event = ledger.mapper.to_domain_event(notification)
            if not isinstance(event, LedgerAggregate.Event):
                continue
            recorded = RecordedEvent.of(event)
            yield {
                "position": notification.id,
                "aggregate_type": recorded.aggregate_type,
                "aggregate_id": str(recorded.aggregate_id),
                "version": recorded.version,
                "type": recorded.type,
                "timestamp": recorded.timestamp.isoformat(),
                "actor": recorded.actor,
                "correlation_id": recorded.correlation_id,
                "causation_id": recorded.causation_id,
                "chain": recorded.chain,
                "payload": to_jsonable(recorded.payload),
            }
        start = notifications[-1].id + 1


def export(args: argparse.Namespace) -> int:
    campaign = _campaign_id(args.campaign) if args.campaign else None
    with Ledger(Settings.from_env()) as ledger:
        if campaign is not None:
            ledger.get_campaign(campaign)
        out = sys.stdout
        for record in export_records(ledger, since=args.since, campaign=campaign):
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
    return 0


EXPORT = Subcommand(
    name="export",
    help="write events as JSON Lines (stable field order) to standard output",
    handler=export,
    arguments=(
        argument("--campaign", help="only this campaign's events"),
        argument(
            "--since",
            type=non_negative_int,
            default=0,
            help="only events after this store position",
        ),
    ),
)


def verify_giveaway(args: argparse.Namespace) -> int:
    campaign_id = _campaign_id(args.campaign_id)
    with Ledger(Settings.from_env()) as ledger:
        ledger.get_campaign(campaign_id)
        events = list(ledger.events.get(campaign_id))
    giveaways: dict[str, dict[str, Any]] = {}
    for event in events:
        if isinstance(event, Campaign.GiveawayAnnounced):
            giveaways[event.giveaway_id] = {
                "commitment": event.seed_commitment,
                "winner_count": event.winner_count,
                "entries": [],
            }
        elif isinstance(event, Campaign.GiveawayEntriesRecorded):
            giveaways[event.giveaway_id]["entries"].extend(event.entries)
        elif isinstance(event, Campaign.GiveawayClosed):
            giveaways[event.giveaway_id]["digest"] = event.entries_digest
        elif isinstance(event, Campaign.GiveawayWinnersDrawn):
            giveaways[event.giveaway_id]["seed"] = event.seed
            giveaways[event.giveaway_id]["winners"] = tuple(event.winners)
    if not giveaways:
        raise NotFound("giveaway", f"in campaign {campaign_id}")
    failures = 0
    for giveaway_id, g in giveaways.items():
        problems = _check_draw(g)
        if problems is None:
            print(f"{giveaway_id}: not drawn yet ({len(g['entries'])} entries)")
        elif problems:
            failures += 1
            print(f"{giveaway_id}: MISMATCH: {'; '.join(problems)}", file=sys.stderr)
        else:
            print(
                f"{giveaway_id}: verified — {len(set(g['entries']))} entries, "
                f"winners {', '.join(g['winners'])}"
            )
    return 1 if failures else 0


VERIFY_GIVEAWAY = Subcommand(
    name="verify-giveaway",
    help="recompute a campaign's giveaway draws from the recorded commitment, seed and entries",
    handler=verify_giveaway,
    arguments=(argument("campaign_id"),),
)


def _check_draw(g: dict[str, Any]) -> list[str] | None:
    if "seed" not in g:
        return None
    problems = []
    if commitment_for(g["seed"]) != g["commitment"]:
        problems.append("the revealed seed does not match the commitment")
    if g.get("digest") != entries_digest(g["entries"]):
        problems.append("the entries do not match the digest recorded at closing")
    expected = draw_winners(g["seed"], g["entries"], g["winner_count"])
    if expected != g["winners"]:
        problems.append(f"recorded winners {list(g['winners'])}, recomputed {list(expected)}")
    return problems


def forget_creator(args: argparse.Namespace) -> int:
    try:
        creator_id = UUID(args.creator_id)
    except ValueError:
        raise NotFound("creator", args.creator_id) from None
    with Ledger(Settings.from_env()) as ledger:
        result = ledger.execute(
            ledger.context(Actor.admin("operator")), ForgetCreator(creator_id=creator_id)
        )
    print(f"creator {creator_id}: personal data erased (version {result.version})")
    return 0


FORGET_CREATOR = Subcommand(
    name="forget-creator",
    help=(
        "erase a creator's personal data by destroying their key (crypto-shredding); "
        "campaigns stay replayable and projections rebuild"
    ),
    handler=forget_creator,
    arguments=(argument("creator_id"),),
)
