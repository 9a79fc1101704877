"""Who is calling: bearer tokens (JWT, HS256) turned into a :class:`Viewer`.

Tokens are part of the API's contract (README, "Configuration"): claims
``sub`` and ``role`` (brand, creator, auditor or admin) plus the registered
time claims. Every way a token can be wrong becomes
:class:`~domain.errors.Unauthenticated`, so a bad credential is always a client
error and never a server failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt

from domain.context import Actor, Clock, Role, system_clock
from domain.errors import Unauthenticated, ValidationError

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
# Tolerated clock skew between the host that signed a token and this one.
LEEWAY = timedelta(seconds=30)
# Far more than any token we issue; refuses absurd headers before decoding them.
MAX_HEADER_CHARS = 4096
MAX_SUBJECT_CHARS = 200

TOKEN_ROLES: frozenset[Role] = frozenset({Role.BRAND, Role.CREATOR, Role.AUDITOR, Role.ADMIN})
_REQUIRED_CLAIMS = ("sub", "role", "exp")


@dataclass(frozen=True)
class Viewer:
    """The caller of one request; ``actor`` is ``None`` for an anonymous caller."""

    actor: Actor | None = None

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls()

    @property
    def role(self) -> Role | None:
        return None if self.actor is None else self.actor.role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require_actor(self) -> Actor:
        """The actor, for operations that anonymous callers may not perform."""
        if self.actor is None:
            raise Unauthenticated("this operation requires a bearer token")
        return self.actor


def issue_token(
    secret: str,
    role: Role | str,
    sub: str,
    ttl: timedelta | int = 3600,
    *,
    clock: Clock = system_clock,
) -> str:
    """A signed token for ``role``/``sub`` valid for ``ttl`` (seconds or a timedelta)."""
    check_secret(secret)
    token_role = _token_role(role)
    if token_role is None:
        allowed = ", ".join(sorted(r.value for r in TOKEN_ROLES))
        raise ValidationError(f"role must be one of {allowed}", field="role")
    if not sub or len(sub) > MAX_SUBJECT_CHARS:
        raise ValidationError(f"sub must be 1 to {MAX_SUBJECT_CHARS} characters", field="sub")
    lifetime = ttl if isinstance(ttl, timedelta) else timedelta(seconds=ttl)
    if lifetime <= timedelta(0):
        raise ValidationError("ttl must be positive", field="ttl")
    now = clock()
    claims = {
        "sub": sub,
        "role": token_role.value,
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def authenticate(authorization_header: str | None, secret: str) -> Viewer:
    """The viewer a request's ``Authorization`` header stands for.

    No header (or a blank one) is an anonymous viewer; anything else must be a
    valid ``Bearer`` token.
    """
    if authorization_header is None or not authorization_header.strip():
        return Viewer.anonymous()
    token = bearer_token(authorization_header)
    claims = _decode(token, secret)
    role = _token_role(claims["role"])
    if role is None:
        raise Unauthenticated("token role is not one of brand, creator, auditor, admin")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT_CHARS:
        raise Unauthenticated("token subject is empty or too long")
    return Viewer(Actor(role, subject))


def bearer_token(authorization_header: str) -> str:
    if len(authorization_header) > MAX_HEADER_CHARS:
        raise Unauthenticated("authorization header is too long")
    scheme, _, token = authorization_header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthenticated("authorization must use the Bearer scheme")
    token = token.strip()
    if not token:
        raise Unauthenticated("bearer token is missing")
    return token


def check_secret(secret: str) -> None:
    """Refuse signing keys too short for HS256 (RFC 7518 §3.2: at least 256 bits)."""
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise ValidationError(
            f"the JWT signing secret must be at least {MIN_SECRET_BYTES} bytes",
            field="LEDGER_JWT_SECRET",
        )


def _decode(token: str, secret: str) -> dict[str, object]:
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            leeway=LEEWAY,
            options={"require": list(_REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("token has expired") from None
    except jwt.ImmatureSignatureError:
        raise Unauthenticated("token is not valid yet") from None
    except jwt.MissingRequiredClaimError as error:
        raise Unauthenticated(f"token is missing the {error.claim!r} claim") from None
    except jwt.InvalidSignatureError:
        raise Unauthenticated("token signature does not match") from None
    except jwt.InvalidAlgorithmError:
        raise Unauthenticated(f"token must be signed with {ALGORITHM}") from None
    except jwt.InvalidTokenError:
        raise Unauthenticated("token is malformed") from None
    if not isinstance(claims.get("role"), str):
        raise Unauthenticated("token role must be a string")
    return claims


def _token_role(value: object) -> Role | None:
    if not isinstance(value, str):
        return None
    try:
        role = Role(value)
    except ValueError:
        return None
    return role if role in TOKEN_ROLES else None
