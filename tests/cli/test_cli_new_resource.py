"""`flask dev new-resource`: the names it refuses (writing nothing), and a scaffold in a
copy of the project after which `make generate`, `make migrate` and the new tests pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.dev import dev_cli
from app.cli.scaffold import Names, refusals, singular_of
from tests.build_cache import locked
from tests.sdk_clients import node_tools
from tests.services import isolated_database

# What a scaffold run needs of the project (no .git, no caches, no var/).
PROJECT = (
    "app", "openapi", "generated", "migrations", "tests", "scripts", "docs",
    "alembic.ini", "pyproject.toml", "Makefile", ".flaskenv",
    "requirements.lock", "requirements-dev.lock",
    # `make generate` also writes the SDKs, with the pinned Node tools.
    "package.json", "package-lock.json", ".npmrc", "tsconfig.json",
)  # fmt: skip
# `make` must not re-sync the shared virtualenv from the copy's lock files, nor run `npm ci`
# in the shared node_modules (node_tools() installed it).
STAMPS = (".venv/.synced", ".venv/.synced-runtime", "node_modules/.installed")
MAKE = ["make", "-s", *(arg for stamp in STAMPS for arg in ("-o", stamp))]


def project_copy(root: Path, target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix))
    # The project's installed Node tools, shared (read-only use): no npm install per copy.
    (target / "node_modules").symlink_to(root / "node_modules")
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".venv" not in p.parts
    }


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("items", "already exists"),  # package, tag, table...
        ("jobs", "tag jobs"),
        ("health", "singular different"),  # `health` twice: the spec needs two path items
        ("settings", "package or module in app/ settings"),
        ("tables", "SQL keyword"),  # singular `table`
        ("class", "Python keyword"),
        ("classes", "Python keyword"),
        ("matches", "Python keyword"),  # singular `match`: a soft keyword
        ("selects", "SQL keyword"),
        ("orders", "SQL keyword"),  # singular `order`
        ("Notes", "lowercase"),
        ("to-dos", "lowercase"),
        ("notes_2", "lowercase"),
        ("errors", "package or module in app/ errors"),
    ],
)
def test_refused_names(root_dir: Path, name: str, reason: str) -> None:
    found = refusals(root_dir, Names(name, singular_of(name)))
    assert any(reason in problem for problem in found), found


def test_a_name_that_is_free_is_accepted(root_dir: Path) -> None:
    assert refusals(root_dir, Names("notes", "note")) == []
    assert singular_of("categories") == "category"
    assert singular_of("notes") == "note"
    assert singular_of("boxes") == "box"


def test_a_refused_name_writes_nothing(root_dir: Path, tmp_path: Path) -> None:
    copy = project_copy(root_dir, tmp_path / "project")
    before = snapshot(copy)
    result = CliRunner().invoke(dev_cli, ["new-resource", "items", "--root", str(copy)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert snapshot(copy) == before


@pytest.mark.slow  # a copy of the project, `make generate`, mypy and pytest in it: `make test-slow`
def test_scaffold_then_generate_migrate_and_its_tests_pass(root_dir: Path, tmp_path: Path) -> None:
    node_tools()  # `make generate` writes the TypeScript SDK with the pinned Node tools
    copy = project_copy(root_dir, tmp_path / "project")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*command: str, **extra_env: str) -> str:
        done = subprocess.run(
            command, cwd=copy, env={**env, **extra_env}, capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done.stdout

    flask = str(copy / ".venv" / "bin" / "flask")
    out = run(flask, "dev", "new-resource", "purchase_orders")
    assert "wrote app/purchase_orders/handlers.py" in out
    assert (copy / "tests/purchase_orders/test_bola.py").exists()
    # The name is taken now.
    again = subprocess.run(
        [flask, "dev", "new-resource", "purchase_orders"], cwd=copy, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert again.returncode != 0 and "already exists" in again.stderr
    run(*MAKE, "generate")
    run(*MAKE, "check-generated")
    (tmp_path / "db").mkdir()
    with isolated_database(tmp_path / "db") as url:  # at the project's head; migrate on
        run(*MAKE, "migrate", DATABASE_URL=url)
    python = str(copy / ".venv" / "bin" / "python")
    written = ["app/purchase_orders", "app/tables.py", "tests/purchase_orders", "migrations"]
    run(python, "-m", "ruff", "check", *written)
    run(python, "-m", "ruff", "format", "--check", *written)
    # mypy on the whole app (the scaffold edits shared modules too), with a cache kept across
    # runs (tests/build_cache.py): mypy checks each cached module against its source's hash,
    # so only what changed is analysed again (~45 s of CPU from nothing, a few s with it).
    with locked("mypy-scaffold") as cache:
        run(python, "-m", "mypy", "--cache-dir", str(cache / "mypy-scaffold"), "app")
    run(
        python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/purchase_orders",
        "tests/contract/test_spec.py", "tests/contract/test_migrations.py",
        "tests/api/test_rbac_matrix.py::test_every_secured_operation_has_a_recipe",
        "tests/contract/test_schemathesis.py::test_passes_follow_the_role_table",
    )  # fmt: skip
