"""Expected failures of mutations, as members of each mutation's result union.

Every error type implements the schema's ``UserError`` interface (``code``,
``message``, ``field``; see ``schema.graphql``); each maps one to one from a
domain :class:`~domain.errors.LedgerError`, so the domain's typed errors reach
the client with their code, message and field unchanged.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry

from domain.errors import ErrorCode as DomainErrorCode
from domain.errors import InvalidTransition, LedgerError
from graphql_api.field_names import api_field


@strawberry.enum(
    description="Why a request failed; UNAVAILABLE: retry later, same idempotency key."
)
class ErrorCode(Enum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    UNAVAILABLE = "UNAVAILABLE"


@strawberry.interface(description="An expected failure the caller can act on.")
class UserError:
    code: ErrorCode
    message: str
    field: str | None


@strawberry.type(description="The input is malformed or breaks a rule about values.")
class ValidationError(UserError):
    pass


@strawberry.type(description="No such object, or the caller may not see it.")
class NotFoundError(UserError):
    pass


@strawberry.type(description="The caller may not do this.")
class ForbiddenError(UserError):
    pass


@strawberry.type(description="No valid credentials for an action that needs them.")
class UnauthenticatedError(UserError):
    pass


@strawberry.type(
    description="A stale expectedVersion, a concurrent change, or an idempotency key reused "
    "with a different input."
)
class ConflictError(UserError):
    pass


@strawberry.type(description="The action does not fit the campaign's current state.")
class InvalidTransitionError(UserError):
    state: str
    allowed_actions: list[str]


@strawberry.type(description="The store is unreachable right now; retry with the same key.")
class UnavailableError(UserError):
    pass


_BY_CODE: dict[DomainErrorCode, Any] = {
    DomainErrorCode.VALIDATION: ValidationError,
    DomainErrorCode.NOT_FOUND: NotFoundError,
    DomainErrorCode.FORBIDDEN: ForbiddenError,
    DomainErrorCode.UNAUTHENTICATED: UnauthenticatedError,
    DomainErrorCode.CONFLICT: ConflictError,
    DomainErrorCode.UNAVAILABLE: UnavailableError,
}

USER_ERROR_TYPES: tuple[Any, ...] = (
    ValidationError,
    NotFoundError,
    ForbiddenError,
    UnauthenticatedError,
    ConflictError,
    InvalidTransitionError,
    UnavailableError,
)


def user_error(error: LedgerError) -> Any:
    """The GraphQL error object for a domain error."""
    code = ErrorCode[error.code.value]
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
