"""GraphiQL in a real browser: a person opens /graphql, types a directory query,
presses run and reads creators' handles — on a machine without internet
access, so every script the page needs must come from the server itself."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser import chromium_binary, open_page
from tests.e2e.conftest import Server

DIRECTORY_QUERY = """query CreatorDirectory {
  creators(first: 3, orderBy: {field: FOLLOWERS}) {
    totalCount
    edges { node { handle tier followers } }
  }
}
"""
EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response"
ASSET = re.compile(r'(?:src|href)="(/graphiql-assets/[^"]+)"\s+integrity="(sha384-[^"]+)"')


def test_graphiql_runs_a_directory_query_typed_into_its_editor(
    server: Server, tmp_path: Path
) -> None:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no chromium on this machine (.ci/run installs Debian's)")
    expected = server.graphql(DIRECTORY_QUERY)["data"]["creators"]["edges"]
    handles = [edge["node"]["handle"] for edge in expected]

    with open_page(tmp_path / "chromium", binary=binary) as page:
        page.goto(server.graphql_url)
        page.wait_for(f"document.querySelector({json.dumps(EDITOR)}) !== null", what="GraphiQL")
        page.click(EDITOR)
        page.evaluate(
            f"document.querySelector({json.dumps(EDITOR)}).CodeMirror.execCommand('selectAll')"
        )
        page.type_text(DIRECTORY_QUERY)
        # GraphiQL takes in an edit after a short debounce, and then mirrors it in the URL.
        page.wait_for(
            f"new URLSearchParams(location.search).get('q') === {json.dumps(DIRECTORY_QUERY)}",
            what="GraphiQL to take in the query",
        )
        page.click(".graphiql-execute-button")
        shown = page.wait_for(
            f"(() => {{ const pane = document.querySelector({json.dumps(RESPONSE)});"
            f" return pane && pane.innerText.includes({json.dumps(handles[0])})"
            " ? pane.innerText : ''; })()",
            what=f"the result pane to show {handles[0]}",
        )
        screenshot = page.screenshot(tmp_path / "graphiql.png")

    assert all(f'"handle": "{handle}"' in shown for handle in handles)
    assert '"errors"' not in shown
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_graphiql_loads_nothing_from_other_hosts_and_every_asset_matches_its_hash(
    server: Server,
) -> None:
    page = httpx.get(server.graphql_url, headers={"Accept": "text/html"}, timeout=10)
    assets = ASSET.findall(page.text)

    assert page.status_code == 200
    assert "<title>Campaign Ledger · GraphiQL</title>" in page.text
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text)
    assert len(assets) == 6
    for path, integrity in assets:
        body = httpx.get(server.url + path, timeout=10).content
        digest = base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert integrity == f"sha384-{digest}", path
