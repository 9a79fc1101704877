"""Dependencies point one way: ``graphql_api → projections → domain``.

Read from the source, every import counts, including those only for type
checking and those inside functions: the domain knows nothing of read models or
the API, the read models nothing of the API, and the demo market is built from
the domain (and the standard library) alone, so the bench and the CLI can use it
without pulling in the schema.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STANDARD_LIBRARY = sys.stdlib_module_names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports (the packages use absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"relative import in {path}"
            assert node.module is not None
            yield node.module


def _top(module: str) -> str:
    return module.partition(".")[0]


def _offending(package: str, allowed: Callable[[str], bool]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules(package)
        for module in _imports(path)
        if not allowed(module)
    ]


def test_the_packages_are_where_these_rules_look() -> None:
    for package in ("domain", "projections", "graphql_api", "graphql_api/demo"):
        assert _modules(package), package


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("domain", {"projections", "graphql_api"}), ("projections", {"graphql_api"})],
)
def test_lower_layers_import_nothing_from_higher_ones(package: str, forbidden: set[str]) -> None:
    assert _offending(package, lambda module: _top(module) not in forbidden) == []


def test_the_demo_market_is_built_from_the_domain_and_the_standard_library() -> None:
    def allowed(module: str) -> bool:
        return (
            _top(module) in STANDARD_LIBRARY
            or _top(module) == "domain"
            or module == "graphql_api.demo"
            or module.startswith("graphql_api.demo.")
        )

    assert _offending("graphql_api/demo", allowed) == []
