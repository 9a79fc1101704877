"""Every GraphQL example in README.md runs, as the role its first line names,
against a server like ``scripts/serve`` on its demo market — so the README
never rots.

An example's first line is ``# Role: anyone|admin|auditor|brand|creator``.
Its variables are filled as a person would fill them, from ids that an admin
finds with the README's own ``FindIds`` query: a brand's and a creator's own
ids for their tokens, one of their campaigns, a due date in the future.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from tests.cli.support import ROOT
from tests.e2e.conftest import Server

FENCED = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
ROLE = re.compile(r"# Role: (anyone|admin|auditor|brand|creator)\b")


@dataclass(frozen=True)
class Example:
    kind: str
    name: str
    role: str
    document: str
    variables_shown: tuple[str, ...]

    @property
    def variables(self) -> tuple[str, ...]:
        [operation] = parse(self.document).definitions
        assert isinstance(operation, OperationDefinitionNode)
        return tuple(d.variable.name.value for d in operation.variable_definitions or ())


def _examples() -> list[Example]:
    """The README's GraphQL blocks, each with the JSON block that follows it, if any."""
    blocks = FENCED.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    examples = []
    for index, (language, text) in enumerate(blocks):
        if language != "graphql":
            continue
        role = ROLE.match(text)
        assert role, f"README example must start with '# Role: ...':\n{text}"
        following = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
        shown = tuple(json.loads(following[1])) if following[0] == "json" else ()
        name = re.search(r"^(query|mutation) (\w+)", text, re.MULTILINE)
        assert name, f"README example needs an operation name:\n{text}"
        examples.append(Example(name.group(1), name.group(2), role.group(1), text, shown))
    return examples


EXAMPLES = _examples()


@dataclass(frozen=True)
class DemoIds:
    """Ids from the demo market, found the way the README says to find them."""

    brand: str
    creator: str
    brand_campaign: str
    creator_campaign: str

    def variables_for(self, example: Example) -> dict[str, Any]:
        own_campaign = self.creator_campaign if example.role == "creator" else self.brand_campaign
        values = {
            "brandId": self.brand,
            "creatorId": self.creator,
            "campaignId": own_campaign,
            "dueOn": (datetime.now(UTC).date() + timedelta(days=60)).isoformat(),
        }
        return {name: values[name] for name in example.variables}


@pytest.fixture(scope="module")
def demo_ids(server: Server) -> DemoIds:
    """The busiest brand and creator, and each one's longest campaign."""
    admin = server.token("admin")
    campaigns: list[dict[str, Any]] = []
    after = None
    while True:
        body = server.graphql(
            """query($after: String) {
              campaigns(first: 100, after: $after) {
                pageInfo { hasNextPage endCursor }
                edges { node { id version brand { id } creator { id } } }
              }
            }""",
            {"after": after},
            token=admin,
        )
        assert "errors" not in body, body
        page = body["data"]["campaigns"]
        campaigns += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    brand = Counter(c["brand"]["id"] for c in campaigns).most_common(1)[0][0]
    creator = Counter(c["creator"]["id"] for c in campaigns).most_common(1)[0][0]

    def longest(key: str, owner: str) -> str:
        mine = [c for c in campaigns if c[key]["id"] == owner]
        return str(max(mine, key=lambda c: c["version"])["id"])

    return DemoIds(brand, creator, longest("brand", brand), longest("creator", creator))


def test_the_readme_has_examples_for_every_kind_of_caller() -> None:
    assert {example.role for example in EXAMPLES} == {
        "anyone",
        "admin",
        "auditor",
        "brand",
        "creator",
    }
    assert {example.kind for example in EXAMPLES} == {"query", "mutation"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_the_readme_shows_the_variables_each_example_needs(example: Example) -> None:
    assert set(example.variables_shown) == set(example.variables)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_readme_example_runs_without_errors(
    example: Example, server: Server, demo_ids: DemoIds
) -> None:
    subjects = {"brand": demo_ids.brand, "creator": demo_ids.creator}
    token = (
        None if example.role == "anyone" else server.token(example.role, subjects.get(example.role))
    )

    body = server.graphql(example.document, demo_ids.variables_for(example), token=token)

    assert "errors" not in body, body["errors"]
    data = body["data"]
    assert all(value is not None for value in data.values()), data
    assert not list(_user_errors(data)), data


def _user_errors(value: Any) -> Any:
    """Every ``UserError`` in a result: expected failures are data, not ``errors``."""
    if isinstance(value, dict):
        if str(value.get("__typename", "")).endswith("Error") or {"code", "message"} <= set(value):
            yield value
        for item in value.values():
            yield from _user_errors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _user_errors(item)
