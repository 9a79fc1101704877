"""One id per request, carried everywhere: logs, error messages, the response header.

The id comes from the caller's ``X-Request-ID`` when it is a safe token (so a
gateway's id follows the request through) or is generated. It lives in a
context variable, so log records and masked errors pick it up without anyone
passing it around, and it is the correlation id of every event the request
writes. The middleware is also the last line of defence: an exception nobody
handled becomes a JSON 500 naming the id, never a stack trace.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Collection
from contextvars import ContextVar

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphql_api.http.responses import INTERNAL_ERROR_CODE, error_response, internal_error_message

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

_current: ContextVar[str | None] = ContextVar("ledger_request_id", default=None)

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("graphql_api.access")


def current_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(candidate: str | None) -> str:
    """The caller's id when it is a short, header- and log-safe token, else a new one."""
    if candidate is not None and _VALID_ID.fullmatch(candidate):
        return candidate
    return new_request_id()


class RequestIdMiddleware:
    """Assigns the request id, logs each request, and turns unhandled errors into JSON 500s."""

    def __init__(self, app: ASGIApp, *, quiet_paths: Collection[str] = ()) -> None:
        self.app = app
        self.quiet_paths = frozenset(quiet_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(Headers(scope=scope).get(HEADER))
        scope.setdefault("state", {})["request_id"] = request_id
        token = _current.set(request_id)
        started = time.perf_counter()
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] in ("http.response.start", "websocket.accept"):
                message.setdefault("headers", [])
                MutableHeaders(scope=message)[HEADER] = request_id
                status = message.get("status", status)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception(
                "unhandled error while serving a request",
                extra={
                    "method": scope.get("method"),
                    "path": scope["path"],
                    "request_id": request_id,
                },
            )
            if scope["type"] != "http" or status is not None:
                raise
            response = error_response(500, internal_error_message(request_id), INTERNAL_ERROR_CODE)
            await response(scope, receive, send_with_id)
        finally:
            self._log_access(scope, status, time.perf_counter() - started)
            _current.reset(token)

    def _log_access(self, scope: Scope, status: int | None, seconds: float) -> None:
        level = logging.DEBUG if scope["path"] in self.quiet_paths else logging.INFO
        access_logger.log(
            level,
            "%s %s %s",
            scope.get("method", "WEBSOCKET"),
            scope["path"],
            status if status is not None else "-",
            extra={
                "method": scope.get("method", "WEBSOCKET"),
                "path": scope["path"],
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
            },
        )
