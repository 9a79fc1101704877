"""Logs as one JSON object per line, each tagged with the request id.

Log shippers parse these without regexes, and the request id joins a client's
error report (it sees the id in ``X-Request-ID`` and in masked error messages)
to the server-side traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO

from graphql_api.http.request_id import current_request_id

_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "taskName", "request_id", "color_message"}

# Strawberry logs every GraphQL error, expected domain errors included, with a
# traceback and without the request id; the error policy in graphql_api.http.errors
# logs the unexpected ones properly instead.
_SILENCED = ("strawberry.execution",)
# uvicorn's own handlers would print plain text next to our JSON lines.
_PROPAGATED = ("uvicorn", "uvicorn.error")
# graphql_api.access logs each request with its id; uvicorn's would repeat it without.
_DROPPED = ("uvicorn.access",)


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, then any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class _JsonHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so reconfiguring replaces only it."""


def configure_logging(level: str | int = "INFO", stream: IO[str] | None = None) -> None:
    """Send all logging to ``stream`` (stderr by default) as JSON lines at ``level``."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _JsonHandler)]:
        root.removeHandler(handler)
    handler = _JsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for name in _PROPAGATED:
        named = logging.getLogger(name)
        named.handlers.clear()
        named.propagate = True
    for name in _DROPPED:
        named = logging.getLogger(name)
        named.handlers.clear()
        named.propagate = False
    for name in _SILENCED:
        logging.getLogger(name).setLevel(logging.CRITICAL)
