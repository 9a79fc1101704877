"""``token`` signs with the server's key; failures an operator can cause end in
one line, and a reader that stops early (``export | head``) is no failure."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import jwt
import pytest

from domain.context import Actor
from graphql_api.http.auth import authenticate
from graphql_api.http.signing_key import resolve_jwt_secret
from tests.cli.support import ROOT, Cli, assert_one_line_error


def test_a_cli_token_is_accepted_with_the_key_the_server_verifies_with(cli: Cli) -> None:
    token = cli.ok("token", "--role", "auditor", "--sub", "audit-7").stdout.strip()

    viewer = authenticate(f"Bearer {token}", resolve_jwt_secret(cli.settings))

    assert viewer.actor == Actor.auditor("audit-7")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-key-" + "x" * 40, algorithms=["HS256"])


def test_an_unreachable_database_fails_with_one_line(offline: Cli) -> None:
    unreachable = Cli.on(
        replace(offline.settings, database_url="postgresql://ledger@127.0.0.1:1/ledger")
    )

    message = assert_one_line_error(unreachable("export"))

    assert "unreachable" in message


def test_a_negative_export_position_is_a_usage_error(offline: Cli) -> None:
    result = offline("export", "--since", "-1")

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "campaign-ledger export: error: argument --since: '-1' must be at least 0"
    )


def test_export_into_a_reader_that_stops_early_ends_quietly(market: Cli) -> None:
    process = subprocess.Popen(
        market.command("export"),
        cwd=ROOT,
        env=market.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    returncode = process.wait(timeout=60)

    assert first.startswith(b'{"position": 1, ')
    assert stderr == ""
    assert returncode == 141


def test_the_module_entry_point_knows_every_command(offline: Cli) -> None:
    result = offline.ok("--help")

    for command in ("serve", "project", "token", "seed-demo", "rebuild", "verify", "switch"):
        assert command in result.stdout
    for command in ("replay", "export", "verify-giveaway", "forget-creator"):
        assert command in result.stdout
