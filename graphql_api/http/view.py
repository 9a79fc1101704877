"""Strawberry's ASGI view, made to authenticate and to fail in GraphQL's shape.

HTTP requests are authenticated from the ``Authorization`` header before the
body is read; a bad token is a 401 with one ``UNAUTHENTICATED`` error.
Websockets authenticate at ``connection_init`` (payload ``Authorization``,
else the handshake header), because browsers cannot set headers on a
websocket; a bad token closes the socket with 4403 as graphql-transport-ws
prescribes. Strawberry's plain-text refusals (bad JSON, GET mutation, …)
become JSON errors too. The GraphiQL page is this package's own, which loads
its scripts from this API rather than a CDN (:mod:`graphql_api.http.graphiql`).

Queries over HTTP pass the automatic persisted queries store
(:mod:`graphql_api.http.persisted_queries`) and, when one is configured, the
response cache (:mod:`graphql_api.http.response_cache`): a hit is served from
stored bytes, a cacheable GET carries an ``ETag`` and answers a matching
``If-None-Match`` with 304, and ``Cache-Control`` tells a CDN what it may keep.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.base import BaseRequestProtocol
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from domain.errors import ErrorCode, Unauthenticated
from graphql_api.http.auth import Viewer, authenticate
from graphql_api.http.cached_exchange import Exchange
from graphql_api.http.context import ContextGetter, RequestContext, default_context_getter
from graphql_api.http.errors import apply_error_policy
from graphql_api.http.graphiql import graphiql_html
from graphql_api.http.metrics import observe_served
from graphql_api.http.persisted_queries import PersistedQueries, PersistedQueryNotFound
from graphql_api.http.request_id import current_request_id, new_request_id
from graphql_api.http.response_cache import ResponseCache
from graphql_api.http.responses import error_response
from projections.store.read_tracking import recording

logger = logging.getLogger(__name__)

_STATUS_CODES = {
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
}
_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


class LedgerGraphQL(GraphQL[RequestContext, None]):
    """The ``/graphql`` endpoint: queries over GET and POST, GraphiQL, graphql-transport-ws."""

    def __init__(
        self,
        schema: Schema,
        *,
        secret: str,
        context_getter: ContextGetter = default_context_getter,
        allowed_origins: Sequence[str] = (),
        connection_init_wait_timeout: timedelta = timedelta(seconds=10),
        max_subscriptions_per_connection: int = 20,
        response_cache: ResponseCache | None = None,
        persisted_queries: PersistedQueries | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=connection_init_wait_timeout,
            max_subscriptions_per_connection=max_subscriptions_per_connection,
            allowed_origins=allowed_origins,
        )
        self._secret = secret
        self._context_getter = context_getter
        self._cache = response_cache
        self._persisted = persisted_queries or PersistedQueries()

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL with its scripts served by this API, so it works offline."""
        return graphiql_html()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response: Response
        try:
            response = await self._respond(Request(scope, receive))
        except PersistedQueryNotFound as missing:
            response = missing.response()
        except Unauthenticated as error:
            response = error_response(
                401, error.message, ErrorCode.UNAUTHENTICATED, headers=_CHALLENGE
            )
        except HTTPException as error:
            code = _STATUS_CODES.get(error.status_code, ErrorCode.VALIDATION)
            headers = {"Allow": "GET, POST"} if error.status_code == 405 else None
            response = error_response(error.status_code, error.reason, code, headers=headers)
        # What a cacheable GET may keep was said by the exchange; nothing else is kept.
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Vary", "Authorization")
        await response(scope, receive, send)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """Strawberry's rule, except that a GET naming a persisted query is one."""
        return (
            super().should_render_graphql_ide(request)
            and request.query_params.get("extensions") is None
        )

    async def _respond(self, request: Request) -> Response:
        """One GraphQL request over HTTP, through the persisted queries and the cache;
        the GraphiQL page and batches go strawberry's own way."""
        adapter = self.request_adapter_class(request)
        if not self.is_request_allowed(adapter) or self.should_render_graphql_ide(adapter):
            return await self.run(request)
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, response=sub_response)
        try:
            data = await self.parse_http_body(adapter)
        except json.JSONDecodeError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        if isinstance(data, list) or data.protocol != "http":
            return await self.run(request, context=context)
        data = self._persisted.resolve(data)
        exchange = (
            None
            if self._cache is None
            else Exchange.begin(self._cache, request, data, context.viewer)
        )
        if exchange is not None and (served := exchange.served()) is not None:
            observe_served(data.operation_name)
            return served
        with recording() as record:
            result = await self.execute_operation(
                request=request,
                request_adapter=adapter,
                request_data=data,
                context=context,
                root_value=None,
                sub_response=sub_response,
            )
        assert isinstance(result, ExecutionResult)
        response_data = await self.process_result(request, result)
        if result.errors:
            self._handle_errors(result.errors, response_data)
        response = self.create_response(response_data=response_data, sub_response=sub_response)
        if exchange is not None:
            return exchange.finish(response, result, record)
        return response

    def parse_json(self, data: str | bytes) -> object:
        """Strawberry's parsing, refusing with a 400 what would otherwise escape it as a
        500: bytes that are not UTF-8, JSON nested too deep to decode, and a document
        that is not a JSON object."""
        try:
            parsed = self.decode_json(data)
        except (ValueError, RecursionError):
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        if not isinstance(parsed, dict):
            raise HTTPException(400, "the request body must be a JSON object")
        return parsed

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext:
        viewer = (
            Viewer.anonymous()
            if isinstance(request, WebSocket)
            else authenticate(request.headers.get("authorization"), self._secret)
        )
        context = RequestContext(
            request=request,
            response=response,
            viewer=viewer,
            request_id=current_request_id() or new_request_id(),
        )
        return await self._context_getter(context)

    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        header = _authorization(context.connection_params) or context.request.headers.get(
            "authorization"
        )
        try:
            context.viewer = authenticate(header, self._secret)
        except Unauthenticated as error:
            logger.info("websocket connection refused", extra={"reason": error.message})
            raise ConnectionRejectionError(
                {"message": error.message, "code": ErrorCode.UNAUTHENTICATED.value}
            ) from None
        return UnsetType()

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # The schema's error extensions normally did this already; this catches
        # errors raised where extensions do not run, so nothing leaks regardless.
        if result.errors:
            result.errors = apply_error_policy(result.errors)
        return await super().process_result(request, result)


def _authorization(params: Mapping[str, object] | None) -> str | None:
    for key, value in (params or {}).items():
        if key.lower() == "authorization" and isinstance(value, str):
            return value
    return None
