"""A plain ``pip install`` (no dev extras) gives a working ``campaign-ledger``.

The dev extras (the bench's HTTP client httpx, the test tools) are installed
here, so each test runs a fresh interpreter in which a meta-path finder refuses
to import them, as if they were missing. Only the bench harness may need them,
and only the ``bench`` command imports it, when it runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_EXTRAS = {"httpx", "hypothesis", "hypothesis_graphql", "pytest", "_pytest", "pytest_asyncio"}
BENCH_HARNESS = "graphql_api.cli.bench."
WITHOUT_DEV_EXTRAS = f"""
import importlib.abc, sys

class WithoutDevExtras(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {sorted(DEV_EXTRAS)!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, WithoutDevExtras())
"""


def _python(code: str, *args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env["LEDGER_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_EXTRAS + code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return _python(
        "from graphql_api.cli import main\nraise SystemExit(main())", *args, data_dir=data_dir
    )


def _runtime_modules() -> list[str]:
    """Every module of the installed packages except the bench harness."""
    modules = []
    for package in ("domain", "projections", "graphql_api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if parts[-1] == "__main__":
                continue
            if module.startswith(BENCH_HARNESS) and module != BENCH_HARNESS + "command":
                continue
            modules.append(module)
    return modules


def test_every_command_is_listed_and_token_runs_without_dev_extras(tmp_path: Path) -> None:
    listed = _cli("--help", data_dir=tmp_path)
    token = _cli("token", "--role", "admin", data_dir=tmp_path)

    assert listed.returncode == 0, listed.stderr
    for command in ("serve", "project", "token", "seed-demo", "rebuild", "verify", "bench"):
        assert f"    {command} " in listed.stdout
    assert token.returncode == 0, token.stderr
    assert token.stdout.count(".") == 2


def test_every_module_but_the_bench_harness_imports_without_dev_extras(tmp_path: Path) -> None:
    modules = _runtime_modules()
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)"

    imported = _python(code, *modules, data_dir=tmp_path)
    harness = _python(code, BENCH_HARNESS + "client", data_dir=tmp_path)

    assert "graphql_api.http.server" in modules
    assert imported.returncode == 0, imported.stderr
    assert "No module named 'httpx'" in harness.stderr


def test_bench_names_the_missing_dev_extras(tmp_path: Path) -> None:
    done = _cli("bench", "--smoke", data_dir=tmp_path)

    assert done.returncode == 1
    assert "bench needs the development extras (httpx is not installed)" in done.stderr
    assert "Traceback" not in done.stderr
