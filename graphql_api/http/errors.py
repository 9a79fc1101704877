"""Which GraphQL errors clients may read, and the code each one carries.

The rule: a :class:`~domain.errors.LedgerError` raised while resolving is an
expected failure and reaches the client as ``{message, path, extensions:
{code, field}}``; so do request-level errors (syntax, validation, abuse
limits, bad variables), which tell the client how to fix its request and get
``code: VALIDATION``. Anything else raised while resolving is a bug or an
infrastructure failure: its message could leak SQL or internals, so the client
gets "Internal error (request id: …)" and the log gets the traceback under the
same request id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import StreamExecutionResult

from domain.errors import ErrorCode, InvalidTransition, LedgerError
from graphql_api.field_names import api_field
from graphql_api.http.request_id import current_request_id
from graphql_api.http.responses import INTERNAL_ERROR_CODE, internal_error_message

logger = logging.getLogger(__name__)

# Raised by strawberry or graphql-core about the request itself, worded for clients.
_REQUEST_ERROR_TYPES = (
    GraphQLError,
    MissingQueryError,
    CannotGetOperationTypeError,
    InvalidOperationTypeError,
)


def is_masked(error: GraphQLError) -> bool:
    return (error.extensions or {}).get("code") == INTERNAL_ERROR_CODE


def is_client_facing(error: GraphQLError) -> bool:
    """Whether the error's own message may be shown to the client."""
    original = error.original_error
    if isinstance(original, LedgerError):
        return True
    if error.path is not None:
        return False
    if original is None or isinstance(original, _REQUEST_ERROR_TYPES):
        return True
    # A scalar's parser rejecting a variable or literal: graphql-core attaches
    # the offending node, and the parser's message is meant for the caller.
    return bool(error.nodes)


def should_mask_error(error: GraphQLError) -> bool:
    return not (is_masked(error) or is_client_facing(error))


def mask_error(error: GraphQLError) -> GraphQLError:
    """Log ``error`` with its traceback and return what the client may see instead."""
    request_id = current_request_id()
    original = error.original_error
    logger.error(
        "unexpected error while resolving %s: %s",
        ".".join(str(key) for key in error.path or ()) or "the operation",
        type(original).__name__ if original is not None else error.message,
        exc_info=original,
        extra={"graphql_path": error.path, "request_id": request_id},
    )
    return GraphQLError(
        internal_error_message(request_id),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={"code": INTERNAL_ERROR_CODE, "requestId": request_id},
    )


def tag_error(error: GraphQLError) -> GraphQLError:
    """Give a client-facing error its ``extensions.code`` (and ``field`` for domain errors)."""
    original = error.original_error
    if isinstance(original, LedgerError):
        extensions: dict[str, object] = {
            "code": original.code.value,
            "field": api_field(original.field),
        }
        if isinstance(original, InvalidTransition):
            extensions["state"] = original.state
            extensions["allowedActions"] = list(original.allowed)
        error.extensions = {**(error.extensions or {}), **extensions}
    elif not (error.extensions or {}).get("code") and is_client_facing(error):
        error.extensions = {**(error.extensions or {}), "code": ErrorCode.VALIDATION.value}
    return error


def apply_error_policy(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Mask and tag ``errors``; idempotent, so it can run again as a safety net."""
    return [tag_error(mask_error(e) if should_mask_error(e) else e) for e in errors]


class MaskInternalErrors(MaskErrors):
    """Strawberry's masking with the ledger's rule, and the request id in the message."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask_error)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return mask_error(error)


class ErrorCodes(SchemaExtension):
    """Tags every client-facing error with its code, for queries and each subscription event."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for candidate in (result, getattr(result, "initial_result", None)):
            _tag_result(candidate)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        _tag_result(result)
        yield


def _tag_result(result: object) -> None:
    for error in getattr(result, "errors", None) or ():
        tag_error(error)
