"""The suite's own guarantees: no silent green without tests, no silent skip of services in CI."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import OpenAPISpecification

from tests import services


def test_a_run_without_tests_fails(root_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "test_nothing_here.py").write_text("# no tests\n")
    # On parallel workers as `make test` runs; one is enough to collect nothing (the default,
    # two per CPU, only starts more interpreters).
    env = {**os.environ, "TEST_WORKERS": "1"}
    result = subprocess.run(
        [
            sys.executable,
            str(root_dir / "scripts/run_tests.py"),
            str(tmp_path),
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "no tests ran" in result.stderr
    assert "created: 1/1 worker" in result.stdout


def test_a_group_runs_on_one_worker(root_dir: Path, tmp_path: Path) -> None:
    """`xdist_group` holds (tests/xdist_groups.py): pytest-xdist alone lost every group."""
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n"
        "pytestmark = pytest.mark.xdist_group('together')\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "def test_one(i):\n    pass\n"
    )
    # Only the plugins this needs (xdist and ours): the installed ones cost seconds per worker.
    env = {
        **os.environ,
        "TEST_WORKERS": "2",
        "PYTHONPATH": str(root_dir),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    result = subprocess.run(
        [
            sys.executable,
            str(root_dir / "scripts/run_tests.py"),
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-p",
            "xdist.plugin",
            "-p",
            "tests.xdist_groups",
            "-v",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    passed = [line.rstrip() for line in result.stdout.splitlines() if " PASSED " in line]
    assert len(passed) == 6 and all(line.endswith("@together") for line in passed), passed
    assert len({line.split()[0] for line in passed}) == 1, passed  # one worker: [gwN]


def test_the_suites_processes_keep_their_bytecode() -> None:
    """`make test` runs under this: its subprocesses reuse compiled modules, whatever the
    machine's PYTHONDONTWRITEBYTECODE says (recompiling `app/` per server cost minutes)."""
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
    assert sys.dont_write_bytecode is False


def test_ci_requires_both_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "IN_CI", True)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1/test")
    with pytest.raises(services.ServiceUnavailableError, match="REDIS_URL"):
        services.require_ci_services()


def test_unreachable_redis_is_an_error_not_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(services.ServiceUnavailableError, match="unreachable"):
        services.redis_url()


def test_unreachable_postgres_is_an_error_not_a_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:1/test")
    with (
        pytest.raises(services.ServiceUnavailableError, match="unreachable"),
        services.isolated_database(tmp_path),
    ):
        pass


def test_test_modules_never_import_each_other(root_dir: Path) -> None:
    # Shared helpers live in tests/*.py; a test module importing another couples them.
    offenders = []
    for path in (root_dir / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                last = node.module.rsplit(".", 1)[-1]
                if node.module.startswith("tests.") and last.startswith("test_"):
                    offenders.append(f"{path.relative_to(root_dir)} -> {node.module}")
    assert offenders == []


def test_an_invalid_spec_is_refused_every_time() -> None:
    # tests/spec_validation.py remembers only documents that passed Connexion's check.
    valid = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    invalid = {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}}  # no version
    for _ in range(2):
        OpenAPISpecification(valid)
        with pytest.raises(InvalidSpecification):
            OpenAPISpecification(invalid)
