"""The ``campaign-ledger`` command line, run as operators run it: in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from domain.context import Actor
from domain.infrastructure.settings import Settings
from graphql_api.http.auth import authenticate
from graphql_api.http.signing_key import resolve_jwt_secret

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEDGER_") and key != "PYTHONPATH"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "graphql_api.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_token_is_signed_with_the_key_the_server_uses(tmp_path: Path) -> None:
    env = {"LEDGER_DATA_DIR": str(tmp_path / "var")}

    result = _run("token", "--role", "brand", "--sub", "b-42", "--ttl", "120", env=env)

    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    secret = resolve_jwt_secret(Settings(data_dir=tmp_path / "var"))
    claims = jwt.decode(token, secret, algorithms=["HS256"])
    assert claims["sub"] == "b-42"
    assert claims["role"] == "brand"
    assert claims["exp"] - claims["iat"] == 120
    viewer = authenticate(f"Bearer {token}", secret)
    assert viewer.actor == Actor.brand("b-42")


def test_token_uses_the_configured_secret(tmp_path: Path) -> None:
    secret = "configured-" + "s" * 40
    env = {"LEDGER_DATA_DIR": str(tmp_path), "LEDGER_JWT_SECRET": secret}

    result = _run("token", "--role", "admin", env=env)

    assert result.returncode == 0, result.stderr
    claims = jwt.decode(result.stdout.strip(), secret, algorithms=["HS256"])
    assert claims["sub"] == "admin"
    assert not (tmp_path / "jwt_secret").exists()


def test_token_for_a_brand_without_sub_fails_with_one_line(tmp_path: Path) -> None:
    result = _run("token", "--role", "brand", env={"LEDGER_DATA_DIR": str(tmp_path)})

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "campaign-ledger: error: --sub is required for role brand: the brand's id\n"
    )


@pytest.mark.parametrize("command", ["token", "serve"])
def test_postgres_without_secret_refuses_with_one_clear_line(tmp_path: Path, command: str) -> None:
    env = {
        "LEDGER_DATA_DIR": str(tmp_path),
        "LEDGER_DATABASE_URL": "postgresql://ledger@127.0.0.1:1/ledger",
    }
    args = ["--role", "admin"] if command == "token" else []

    result = _run(command, *args, env=env)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "campaign-ledger: error: LEDGER_JWT_SECRET must be set when LEDGER_DATABASE_URL "
        "selects PostgreSQL, so that every API process verifies tokens with the same key"
    ]
    assert "Traceback" not in result.stderr


def test_unreadable_data_dir_fails_without_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")

    result = _run("token", "--role", "admin", env={"LEDGER_DATA_DIR": str(blocker / "var")})

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("campaign-ledger: error: ")


def test_unknown_role_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("token", "--role", "system", env={"LEDGER_DATA_DIR": str(tmp_path)})

    assert result.returncode == 2
    assert "invalid choice: 'system'" in result.stderr
    assert "Traceback" not in result.stderr
