"""The domain's typed errors.

Every rejection a caller can cause is one of these; each carries an
:class:`ErrorCode` that the API maps one to one onto its ``ErrorCode`` enum, a
human message, and where it applies the input field at fault. A command that
raises records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class ErrorCode(StrEnum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    UNAVAILABLE = "UNAVAILABLE"


class LedgerError(Exception):
    """Base of every expected failure."""

    code: ErrorCode = ErrorCode.VALIDATION

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(LedgerError):
    """The input is malformed or breaks a rule about values."""

    code = ErrorCode.VALIDATION


class NotFound(LedgerError):
    """No such object, or the caller may not know it exists."""

    code = ErrorCode.NOT_FOUND

    def __init__(self, kind: str, object_id: object, *, field: str | None = None) -> None:
        super().__init__(f"{kind} {object_id} not found", field=field)
        self.kind = kind
        self.object_id = str(object_id)


class Forbidden(LedgerError):
    """The caller is known but may not do this."""

    code = ErrorCode.FORBIDDEN


class Unauthenticated(LedgerError):
    code = ErrorCode.UNAUTHENTICATED


class Conflict(LedgerError):
    """A stale expected version, a concurrent write, or a reused idempotency key."""

    code = ErrorCode.CONFLICT


class InvalidTransition(LedgerError):
    """The command does not fit the aggregate's current state."""

    code = ErrorCode.INVALID_TRANSITION

    def __init__(
        self,
        action: str,
        state: str,
        allowed: Sequence[str],
        *,
        reason: str | None = None,
        subject: str = "campaign",
    ) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none"
        detail = f" ({reason})" if reason else ""
        super().__init__(
            f"cannot {action} while the {subject} is {state}{detail}; allowed now: {allowed_text}"
        )
        self.action = action
        self.state = state
        self.allowed = tuple(allowed)


class StoreUnavailable(LedgerError):
    """The event store cannot be reached or written right now; the command may be retried
    (with the same idempotency key, it is never applied twice)."""

    code = ErrorCode.UNAVAILABLE
