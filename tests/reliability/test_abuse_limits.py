"""Abusive requests to a real server: each is refused with a clear error in GraphQL's
shape, quickly (bounded work), without a 500, a stack trace or SQL, and without
writing anything."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.graphql_driver import ADMIN, bearer, leaks
from tests.reliability.figures import Figures
from tests.reliability.processes import HOST, LedgerServer

MIB = 1024 * 1024
BOUNDED_SECONDS = 2.0
JSON = {"content-type": "application/json"}
ME = b'{"query": "{ me { role } }"}'
REGISTER = (
    "mutation($i: RegisterBrandInput!) { registerBrand(input: $i) "
    "{ __typename ... on UserError { code field message } } }"
)
CREATOR = (
    "mutation($i: RegisterCreatorInput!) { registerCreator(input: $i) "
    "{ __typename ... on UserError { code field message } } }"
)


@dataclass(frozen=True)
class Abuse:
    send: Callable[[httpx.Client], httpx.Response]
    status: int
    says: str
    """A fragment of the first error's message (or of the union error's message)."""


def _post(body: dict[str, object]) -> Callable[[httpx.Client], httpx.Response]:
    return lambda http: http.post("/graphql", json=body, headers=bearer(ADMIN))


def _raw(content: bytes, content_type: str = "application/json") -> Callable[..., httpx.Response]:
    return lambda http: http.post(
        "/graphql", content=content, headers={"content-type": content_type}
    )


def _chunks() -> Iterator[bytes]:
    for _ in range(2 * 1024):
        yield b" " * 1024


ABUSES = {
    "deep query": Abuse(
        _post({"query": "{ me { " + "a { " * 40 + "b" + " }" * 40 + " } }"}),
        200,
        "exceeds maximum operation depth of 12",
    ),
    "very deep query": Abuse(
        _post({"query": "{ me { " + "a { " * 3000 + "b" + " }" * 3000 + " } }"}),
        200,
        "nested too deeply",
    ),
    "alias flood": Abuse(
        _post(
            {"query": "{ " + " ".join(f"a{i}: projections {{ name }}" for i in range(200)) + " }"}
        ),
        200,
        "aliases found. Allowed: 30",
    ),
    "token flood": Abuse(
        _post({"query": "{ " + " ".join(f"a{i}: __typename" for i in range(3000)) + " }"}),
        200,
        "more than 5000 tokens",
    ),
    "huge document": Abuse(
        _post({"query": "{ me { role } } #" + "x" * (MIB + 10)}), 413, "exceeds 1048576 bytes"
    ),
    "huge variables": Abuse(
        _post({"query": "query($x: String) { me { role } }", "variables": {"x": "a" * MIB}}),
        413,
        "exceeds 1048576 bytes",
    ),
    "huge chunked body without a length": Abuse(
        lambda http: http.post("/graphql", content=_chunks(), headers=JSON),
        413,
        "exceeds 1048576 bytes",
    ),
    "variables nested 100,000 deep": Abuse(
        _raw(
            b'{"query": "{ me { role } }", "variables": {"x": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}}"
        ),
        400,
        "Unable to parse request body as JSON",
    ),
    "page size 101": Abuse(
        _post({"query": "{ creators(first: 101) { totalCount } }"}), 200, "between 0 and 100"
    ),
    "page size 2^31-1": Abuse(
        _post({"query": "{ creators(first: 2147483647) { totalCount } }"}), 200, "between 0 and 100"
    ),
    "negative page size": Abuse(
        _post({"query": "{ campaigns(first: -1) { totalCount } }"}), 200, "between 0 and 100"
    ),
    "page size beyond Int": Abuse(
        _post({"query": "{ creators(first: 99999999999) { totalCount } }"}),
        200,
        "Int cannot represent non 32-bit signed integer",
    ),
    "oversized string": Abuse(
        _post({"query": REGISTER, "variables": {"i": {"name": "n" * 200_000, "industry": "x"}}}),
        200,
        "name is longer than 200 characters",
    ),
    "oversized list": Abuse(
        _post(
            {
                "query": CREATOR,
                "variables": {
                    "i": {
                        "handle": "h1",
                        "displayName": "d",
                        "niches": [f"n{i}" for i in range(20_000)],
                        "origin": "NATIVE",
                    }
                },
            }
        ),
        200,
        "niches has more than 10 items",
    ),
    "infinite price bound": Abuse(
        _post({"query": '{ creators(filter: {priceMax: "Infinity"}) { totalCount } }'}),
        200,
        "filter.priceMax is not a decimal number",
    ),
    "price bound beyond any amount": Abuse(
        _post({"query": '{ creators(filter: {priceMax: "1e400"}) { totalCount } }'}),
        200,
        "filter.priceMax is implausibly large",
    ),
    "NUL in a string": Abuse(
        _post({"query": REGISTER, "variables": {"i": {"name": "a\u0000b", "industry": "x"}}}),
        200,
        "contains a NUL character",
    ),
    "invalid UTF-8": Abuse(
        _raw(b'{"query": "{ me { role } }", "x": "\xff\xfe\xc3"}'), 400, "Unable to parse"
    ),
    "not JSON": Abuse(_raw(b'{"query": '), 400, "Unable to parse"),
    "JSON that is not an object": Abuse(_raw(b"42"), 400, "must be a JSON object"),
    "text/plain": Abuse(_raw(ME, "text/plain"), 415, "Content-Type must be application/json"),
    "application/graphql": Abuse(
        _raw(b"{ me { role } }", "application/graphql"), 415, "Content-Type must be"
    ),
    "form-urlencoded": Abuse(
        _raw(b"query=%7B%20me%20%7D", "application/x-www-form-urlencoded"), 415, "Content-Type"
    ),
    "multipart": Abuse(_raw(ME, "multipart/form-data; boundary=x"), 415, "Content-Type"),
    "no content type": Abuse(_raw(ME, ""), 415, "Content-Type must be application/json"),
    "batched request": Abuse(
        lambda http: http.post("/graphql", json=[{"query": "{ me { role } }"}] * 50),
        400,
        "batched requests are not supported",
    ),
    "mutation over GET": Abuse(
        lambda http: http.get(
            "/graphql",
            params={
                "query": 'mutation { registerBrand(input: {name: "x", industry: "y"}) { id } }'
            },
            headers={**bearer(ADMIN), "accept": "application/json"},
        ),
        400,
        "mutations are not allowed when using GET",
    ),
    "PUT": Abuse(
        lambda http: http.put("/graphql", json={"query": "{ me { role } }"}),
        405,
        "only supports GET and POST",
    ),
    "unknown operation name": Abuse(
        _post({"query": "query A { me { role } }", "operationName": "B"}), 400, "Unknown operation"
    ),
}


def _head(http: httpx.Client) -> str:
    body = http.post("/graphql", json={"query": "{ projections { headPosition } }"}).json()
    return str(max(int(p["headPosition"]) for p in body["data"]["projections"]))


@pytest.fixture(scope="module")
def http(sqlite_server: LedgerServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sqlite_server.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("abuse", ABUSES, ids=list(ABUSES))
def test_abusive_request_is_refused_clearly_and_cheaply(
    http: httpx.Client, figures: Figures, abuse: str
) -> None:
    case = ABUSES[abuse]
    head = _head(http)

    response = case.send(http)

    body = response.json()
    errors = body.get("errors") or []
    union = (
        (body.get("data") or {}).get("registerBrand")
        or (body.get("data") or {}).get("registerCreator")
        or {}
    )
    message = errors[0]["message"] if errors else union.get("message", "")
    code = errors[0]["extensions"]["code"] if errors else union.get("code")
    refused = response.status_code == case.status and code == "VALIDATION"
    figures.add(
        "abuse_limits",
        cases=1,
        refused_with_clear_error=int(refused),
        status_500=int(response.status_code >= 500),
        leaks=len(leaks(response.text)),
    )
    figures.maximum("abuse_limits", slowest_ms=round(response.elapsed.total_seconds() * 1000))
    assert response.status_code == case.status, response.text
    assert code == "VALIDATION", response.text
    assert case.says in message, response.text
    assert response.elapsed.total_seconds() < BOUNDED_SECONDS
    assert not leaks(response.text)
    assert _head(http) == head, "an abusive request wrote events"


def test_a_body_announced_larger_than_the_limit_is_refused_before_it_is_sent(
    sqlite_server: LedgerServer, figures: Figures
) -> None:
    """The client claims a 1 GB body and sends a few bytes: the server answers at once,
    from the header alone, instead of waiting for the gigabyte."""
    request = (
        b"POST /graphql HTTP/1.1\r\nHost: ledger\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000000\r\nConnection: close\r\n\r\n" + ME
    )
    with socket.create_connection((HOST, sqlite_server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    figures.add("abuse_limits", cases=1, refused_with_clear_error=int(b" 413 " in status_line))
    assert status_line.startswith(b"HTTP/1.1 413")
    assert b"exceeds 1048576 bytes" in rest
