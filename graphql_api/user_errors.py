"""Expected failures of mutations, as members of each mutation's result union.

Every error type implements the schema's ``UserError`` interface (``code``,
``message``, ``field``; see ``schema.graphql``); each maps one to one from a
domain :class:`~domain.errors.LedgerError`, so the domain's typed errors reach
the client with their code, message and field unchanged.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from domain.errors import ErrorCode, InvalidTransition, LedgerError
from graphql_api.field_names import api_field

strawberry.enum(
    ErrorCode, description="Why a request failed; UNAVAILABLE: retry later, same idempotency key."
)


@strawberry.interface(description="An expected failure the caller can act on.")
class UserError:
    code: ErrorCode
    message: str
    field: str | None


@strawberry.type(description="The action does not fit the campaign's current state.")
class InvalidTransitionError(UserError):
    state: str
    allowed_actions: list[str]


def _error_type(name: str, description: str) -> Any:
    return strawberry.type(type(name, (UserError,), {}), description=description)


_BY_CODE: dict[ErrorCode, Any] = {
    ErrorCode.VALIDATION: _error_type(
        "ValidationError", "The input is malformed or breaks a rule about values."
    ),
    ErrorCode.NOT_FOUND: _error_type(
        "NotFoundError", "No such object, or the caller may not see it."
    ),
    ErrorCode.FORBIDDEN: _error_type("ForbiddenError", "The caller may not do this."),
    ErrorCode.UNAUTHENTICATED: _error_type(
        "UnauthenticatedError", "No valid credentials for an action that needs them."
    ),
    ErrorCode.CONFLICT: _error_type(
        "ConflictError",
        "A stale expectedVersion, a concurrent change, or an idempotency key reused "
        "with a different input.",
    ),
    ErrorCode.INVALID_TRANSITION: InvalidTransitionError,
    ErrorCode.UNAVAILABLE: _error_type(
        "UnavailableError", "The store is unreachable right now; retry with the same key."
    ),
}
"""The error type of each domain error code, in the order of the result unions."""

USER_ERROR_TYPES: tuple[Any, ...] = tuple(_BY_CODE.values())


def user_error(error: LedgerError) -> Any:
    """The GraphQL error object for a domain error."""
    code = error.code
    if isinstance(error, InvalidTransition):
        return InvalidTransitionError(
            code=code,
            message=error.message,
            field=api_field(error.field),
            state=error.state,
            allowed_actions=list(error.allowed),
        )
    return _BY_CODE[error.code](code=code, message=error.message, field=api_field(error.field))


def result_union(name: str, success: type) -> Any:
    """``success | every UserError type`` as a named union, for one mutation."""
    members = (success, *USER_ERROR_TYPES)
    union: Any = members[0]
    for member in members[1:]:
        union = union | member
    return Annotated[union, strawberry.union(name)]
