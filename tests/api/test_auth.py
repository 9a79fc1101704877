"""Bearer tokens: issuing, verifying, and every way a token can be wrong."""

from __future__ import annotations

import base64
import json
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest

from domain.context import Actor, Role
from domain.errors import Unauthenticated, ValidationError
from domain.infrastructure.settings import Settings
from graphql_api.http.auth import Viewer, authenticate, issue_token
from graphql_api.http.signing_key import resolve_jwt_secret
from tests.api.support import SECRET, bearer

WHOAMI = {"query": "{ whoami }"}


def _signed(claims: dict[str, object], secret: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "b-1",
        "role": "brand",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _unsigned(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


BAD_AUTHORIZATIONS = {
    "expired": f"Bearer {_signed(_claims(exp=int(time.time()) - 3600))}",
    "not yet valid": f"Bearer {_signed(_claims(nbf=int(time.time()) + 3600))}",
    "issued in the future": f"Bearer {_signed(_claims(iat=int(time.time()) + 3600))}",
    "malformed": "Bearer not.a.jwt",
    "garbage": "Bearer %%%",
    "signed with another key": f"Bearer {_signed(_claims(), secret='x' * 48)}",
    "alg none": f"Bearer {_unsigned(_claims())}",
    "HS512 instead of HS256": f"Bearer {_signed(_claims(), algorithm='HS512')}",
    "missing sub": f"Bearer {_signed(_claims(sub=None))}",
    "missing role": f"Bearer {_signed(_claims(role=None))}",
    "missing exp": f"Bearer {_signed(_claims(exp=None))}",
    "unknown role": f"Bearer {_signed(_claims(role='superuser'))}",
    "system role": f"Bearer {_signed(_claims(role='system'))}",
    "role not a string": f"Bearer {_signed(_claims(role=['admin']))}",
    "empty sub": f"Bearer {_signed(_claims(sub=''))}",
    "basic scheme": "Basic YWRtaW46YWRtaW4=",
    "bearer without token": "Bearer",
    "oversized header": "Bearer " + "a" * 5000,
}


@pytest.mark.parametrize("authorization", BAD_AUTHORIZATIONS.values(), ids=BAD_AUTHORIZATIONS)
def test_bad_authorization_is_unauthenticated(authorization: str) -> None:
    with pytest.raises(Unauthenticated):
        authenticate(authorization, SECRET)


@pytest.mark.parametrize("authorization", BAD_AUTHORIZATIONS.values(), ids=BAD_AUTHORIZATIONS)
async def test_bad_token_over_http_is_a_401_with_one_unauthenticated_error(
    client: httpx.AsyncClient, authorization: str
) -> None:
    response = await client.post("/graphql", json=WHOAMI, headers={"Authorization": authorization})

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    errors = response.json()["errors"]
    assert len(errors) == 1
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_bad_token_on_a_get_query_is_also_a_401(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "{ whoami }"},
        headers={"Authorization": BAD_AUTHORIZATIONS["expired"]},
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_request_without_token_is_anonymous(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=WHOAMI)

    assert response.status_code == 200
    assert response.json() == {"data": {"whoami": None}}


async def test_valid_token_identifies_the_caller(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=WHOAMI, headers=bearer("creator", "c-7"))

    assert response.json() == {"data": {"whoami": "creator:c-7"}}


def test_issued_token_carries_role_subject_and_lifetime() -> None:
    moment = datetime.now(UTC)
    token = issue_token(SECRET, Role.AUDITOR, "alice", timedelta(minutes=5), clock=lambda: moment)

    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["role"] == "auditor"
    assert claims["sub"] == "alice"
    assert claims["exp"] - claims["iat"] == 300
    assert claims["nbf"] == claims["iat"]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_issuing_refuses_roles_outside_the_token_roles() -> None:
    with pytest.raises(ValidationError):
        issue_token(SECRET, "system", "cron")


def test_short_signing_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        issue_token("too-short", "admin", "root")


def test_only_admins_are_admins_and_anonymous_viewers_may_not_act() -> None:
    anonymous = Viewer.anonymous()

    assert Viewer(Actor.admin()).is_admin
    assert not Viewer(Actor.auditor("alice")).is_admin
    assert not anonymous.is_admin
    assert anonymous.actor is None
    with pytest.raises(Unauthenticated):
        anonymous.require_actor()


def test_embedded_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")

    first = resolve_jwt_secret(settings)
    second = resolve_jwt_secret(settings)

    key_file = tmp_path / "var" / "jwt_secret"
    assert first == second
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]


def test_embedded_key_readable_by_others_is_restricted(tmp_path: Path) -> None:
    key_file = tmp_path / "jwt_secret"
    key_file.write_text("k" * 48)
    key_file.chmod(0o644)

    assert resolve_jwt_secret(Settings(data_dir=tmp_path)) == "k" * 48
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_configured_secret_wins_over_the_key_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, jwt_secret="e" * 40)

    assert resolve_jwt_secret(settings) == "e" * 40
    assert not (tmp_path / "jwt_secret").exists()


def test_postgres_without_secret_refuses_to_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://ledger@db/ledger")

    with pytest.raises(ValidationError, match="LEDGER_JWT_SECRET must be set"):
        resolve_jwt_secret(settings)
