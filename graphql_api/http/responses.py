"""GraphQL-shaped error responses for requests refused before (or instead of) execution.

Clients parse one shape whatever went wrong: ``{"errors": [{"message",
"extensions": {"code"}}]}``, with the HTTP status saying which layer refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

from domain.errors import ErrorCode

# Not a member of the contract's ErrorCode enum: it marks failures that are
# the server's fault, using the name most GraphQL clients already know.
INTERNAL_ERROR_CODE = "INTERNAL_SERVER_ERROR"


def internal_error_message(request_id: str | None) -> str:
    return f"Internal error (request id: {request_id})" if request_id else "Internal error"


def error_response(
    status_code: int,
    message: str,
    code: ErrorCode | str,
    *,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": str(code)}}]}
    return JSONResponse(body, status_code=status_code, headers=headers)
