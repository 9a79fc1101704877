"""What clients see when a query fails, and what the logs keep."""

from __future__ import annotations

import httpx

from tests.api.support import JsonLog


async def test_domain_error_keeps_its_message_code_field_and_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": '{ creatorName(creatorId: "c-9") }'})

    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == "creator c-9 not found"
    assert error["path"] == ["creatorName"]
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "creatorId"}


async def test_invalid_transition_names_the_state_and_allowed_actions(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": '{ campaignState(campaignId: "x") }'})

    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_TRANSITION"
    assert error["extensions"]["state"] == "PITCHED"
    assert error["extensions"]["allowedActions"] == ["accept pitch", "decline pitch"]
    assert "cannot approve a draft while the campaign is PITCHED" in error["message"]


async def test_unexpected_error_is_masked_with_the_request_id_and_logged(
    client: httpx.AsyncClient, json_log: JsonLog
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ broken }"}, headers={"X-Request-ID": "req-42"}
    )

    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == "Internal error (request id: req-42)"
    assert error["path"] == ["broken"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "password" not in response.text
    assert "Traceback" not in response.text
    [logged] = [r for r in json_log.records() if r["logger"] == "graphql_api.http.errors"]
    assert logged["request_id"] == "req-42"
    assert logged["level"] == "ERROR"
    assert "SELECT password FROM accounts" in str(logged["exception"])


async def test_masked_and_domain_errors_coexist_in_one_response(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": '{ broken creatorName(creatorId: "c-1") whoami }'}
    )

    body = response.json()
    codes = sorted(e["extensions"]["code"] for e in body["errors"])
    assert codes == ["INTERNAL_SERVER_ERROR", "NOT_FOUND"]
    assert body["data"] == {"broken": None, "creatorName": None, "whoami": None}


async def test_validation_error_is_readable_and_coded_validation(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": "{ whoami nosuchField }"})

    [error] = response.json()["errors"]
    assert "Cannot query field 'nosuchField' on type 'Query'" in error["message"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["locations"]


async def test_syntax_error_is_readable(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ whoami"})

    [error] = response.json()["errors"]
    assert error["message"].startswith("Syntax Error")
    assert error["extensions"]["code"] == "VALIDATION"


async def test_bad_variable_value_is_readable(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query Name($id: String!) { creatorName(creatorId: $id) }",
            "variables": {"id": 7},
        },
    )

    [error] = response.json()["errors"]
    assert "$id" in error["message"]
    assert error["extensions"]["code"] == "VALIDATION"


async def test_mutation_over_get_is_refused_as_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "mutation { ping }"})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_malformed_json_body_is_refused_as_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": ', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Unable to parse request body as JSON"


async def test_unsupported_method_is_refused_with_allow_header(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ whoami }"})

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_query_over_get_runs(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ node { level } }"})

    assert response.json() == {"data": {"node": {"level": 1}}}


async def test_browser_gets_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
