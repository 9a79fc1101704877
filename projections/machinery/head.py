"""The safe head: the highest position below which no event can still appear.

Event-store positions come from a sequence, drawn when an event is inserted,
not when it commits. If two writers commit out of order, a reader can see
position 11 while 10 is still in flight, advance past it, and skip event 10
forever. The eventsourcing PostgreSQL recorder prevents this by locking the
events table for each insert, but not on its ``POSTGRES_ENABLE_DB_FUNCTIONS``
path. So on PostgreSQL the head is read under a ``SHARE`` lock on the events
table: taking it waits for inserts in flight to commit or roll back, and any
insert after it draws a higher position. The lock is held for one ``SELECT``,
in the same message, which the server commits on its own: a reader stopped
mid-read (a long GC pause, a stalled VM) cannot keep the lock, which every
writer would then wait behind. SQLite has a single writer whose positions
commit in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from projections.store.readstore import ReadStore

if TYPE_CHECKING:
    from projections.store.postgres_store import PostgresReadStore


def safe_head(recorder: Any, store: ReadStore, *, lock_timeout_seconds: int = 10) -> int:
    """The event-store head, safe to read up to without skipping late commits."""
    table = getattr(recorder, "events_table_name", None)
    datastore = getattr(recorder, "datastore", None)
    schema = getattr(datastore, "schema", None)
    if store.dialect != "postgres" or not isinstance(table, str) or not isinstance(schema, str):
        return int(recorder.max_notification_id() or 0)
    qualified = f"{_quote(schema)}.{_quote(table)}"
    ((head,),) = cast("PostgresReadStore", store).in_one_message(
        f"SET LOCAL lock_timeout = '{int(lock_timeout_seconds)}s';"
        f" LOCK TABLE {qualified} IN SHARE MODE;"
        f" SELECT max(notification_id) FROM {qualified}"
    )
    return int(head or 0)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
