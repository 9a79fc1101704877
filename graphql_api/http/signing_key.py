"""The one HS256 key the server verifies tokens with and ``campaign-ledger token`` signs with.

``LEDGER_JWT_SECRET`` wins. Without it the embedded (SQLite) setup generates a
key once and keeps it in ``<data_dir>/jwt_secret`` (mode 0600), so tokens
survive restarts and the CLI signs with the very key the server uses. On
PostgreSQL the API may run on several hosts that cannot share a local file,
so a missing secret there is a configuration error, not something to guess.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

from domain.errors import ValidationError
from domain.infrastructure.settings import Settings
from graphql_api.http.auth import check_secret

SECRET_FILE_NAME = "jwt_secret"

logger = logging.getLogger(__name__)


def resolve_jwt_secret(settings: Settings) -> str:
    """The signing key for ``settings``; may create ``<data_dir>/jwt_secret``."""
    if settings.jwt_secret:
        check_secret(settings.jwt_secret)
        return settings.jwt_secret
    if settings.backend == "postgres":
        raise ValidationError(
            "LEDGER_JWT_SECRET must be set when LEDGER_DATABASE_URL selects PostgreSQL, "
            "so that every API process verifies tokens with the same key",
            field="LEDGER_JWT_SECRET",
        )
    return _stored_secret(settings.data_dir / SECRET_FILE_NAME)


def _stored_secret(path: Path) -> str:
    if not path.exists():
        _create_secret_file(path)
    _restrict_permissions(path)
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise ValidationError(f"{path} is empty; delete it to generate a new key")
    check_secret(secret)
    return secret


def _create_secret_file(path: Path) -> None:
    """Write a fresh key without ever exposing a partial file.

    The key goes to a private temporary file that is then hard-linked into
    place; the link fails if another process (a second worker) won the race,
    and that process's key is used instead.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        else:
            logger.info("generated a new JWT signing key", extra={"path": str(path)})
    finally:
        temporary.unlink(missing_ok=True)


def _restrict_permissions(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning(
            "JWT signing key was readable by others; restricting it to its owner",
            extra={"path": str(path), "mode": oct(mode)},
        )
        path.chmod(0o600)
