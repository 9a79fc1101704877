"""What every resolver receives as ``info.context``.

The serving layer fills in who is calling and which request this is; the
domain wiring extends it (subclass, adding services and per-request
DataLoaders) through the ``context_getter`` given to
:func:`graphql_api.http.app.create_app`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.context import Clock, CommandContext, system_clock
from graphql_api.http.auth import Viewer


@dataclass
class RequestContext:
    """One HTTP request, or one websocket connection and all its subscriptions.

    On a websocket the viewer is anonymous until ``connection_init`` is
    accepted; read ``viewer`` when resolving, never cache it at creation.
    """

    request: Request | WebSocket
    response: Response | WebSocket | None
    viewer: Viewer
    request_id: str
    # Set by strawberry from the websocket ``connection_init`` payload.
    connection_params: dict[str, Any] | None = None

    def base_fields(self) -> dict[str, Any]:
        """This context's own fields, to build a subclass instance from it."""
        return {f.name: getattr(self, f.name) for f in fields(RequestContext)}

    def command_context(self, clock: Clock = system_clock) -> CommandContext:
        """Metadata for a command: the caller as actor, the request id as correlation id."""
        return CommandContext.create(
            self.viewer.require_actor(), clock, correlation_id=self.request_id
        )


ContextGetter = Callable[[RequestContext], Awaitable[RequestContext]]


async def default_context_getter(context: RequestContext) -> RequestContext:
    return context
