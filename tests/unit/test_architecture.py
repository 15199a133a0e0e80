"""Imports run one way, and the package docstrings say so truthfully.

The rules are import-linter contracts (`[tool.importlinter]` in pyproject.toml, also run by
`make lint`): layers from the composition root down, resource packages independent except
through the modules they declare, HTTP plumbing and wire models only at the edge, no HTTP
below it, a worker and a CLI without HTTP. Each contract is shown to fail on a violation
planted in a copy of the tree, so a contract that stopped biting would be noticed.

Each package's docstring states what it may import ("May import: `app.x`, ..."); that list
must hold every package (or other resource's module) it does import, and only what the
contracts permit.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]


def _contract(contract_id: str) -> dict[str, Any]:
    [found] = [c for c in _config()["contracts"] if c["id"] == contract_id]
    return found


def _lint(cwd: Path, *contract_ids: str) -> subprocess.CompletedProcess[str]:
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for contract_id in contract_ids:
        args += ["--contract", contract_id]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def test_the_contracts_hold() -> None:
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout


# One violation per contract: (contract, module it is planted in, the import planted).
PLANTED = [
    ("layers", "app/http/pages.py", "import app.container"),  # plumbing reaching the container
    ("layers", "app/infra/db.py", "import app.accounts.models"),  # infrastructure knowing tables
    ("layers", "app/http/envelope.py", "import app.items.service"),  # plumbing using a resource
    ("resources", "app/items/service.py", "import app.documents.service"),  # undeclared
    ("resources", "app/jobs/handlers.py", "import app.completions.handlers"),  # internals
    ("http-at-the-edge", "app/completions/batch.py", "import generated.models"),
    ("http-at-the-edge", "app/users/service.py", "import app.http.parsing"),
    ("no-http-below", "app/ai/warnings.py", "import flask"),
    ("no-http-below", "app/owned/tags.py", "import app.idempotency.models, app.jobs.mapping"),
    ("worker", "app/tasks/jobs.py", "import app.jobs.mapping"),  # HTTP code, indirectly
    ("cli", "app/cli/db.py", "import app.items.handlers"),
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what lint-imports reads: the packages and the contracts."""
    root = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(APP, root / "app", ignore=ignore)
    shutil.copytree(ROOT / "generated", root / "generated", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    done = _lint(root)  # the copy passes as it is
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.mark.parametrize(
    ("contract_id", "path", "line"), PLANTED, ids=[f"{c}:{p}" for c, p, _ in PLANTED]
)
def test_each_contract_fails_on_a_planted_violation(
    tree: Path, contract_id: str, path: str, line: str
) -> None:
    target = tree / path
    original = target.read_text()
    try:
        target.write_text(f"{original}\n{line}  # planted\n")
        done = _lint(tree, contract_id)
    finally:
        target.write_text(original)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout


def test_every_planted_contract_exists() -> None:
    ids = {c["id"] for c in _config()["contracts"]}
    assert {c for c, _, _ in PLANTED} == ids


# --- Package docstrings against the contracts -------------------------------------------

NAME = re.compile(r"^(app(\.\w+)+|generated)$")


def _stated(package: str) -> set[str]:
    """The names in the docstring's "May import:" sentence."""
    doc = ast.get_docstring(ast.parse((APP / package / "__init__.py").read_text())) or ""
    assert "May import:" in doc, f"app/{package}/__init__.py: say what the package may import"
    sentence = re.split(r"\.\s", doc.split("May import:", 1)[1] + " ", maxsplit=1)[0]
    return {n for n in re.findall(r"`([^`]+)`", sentence) if NAME.match(n)}


def _packages() -> list[str]:
    return sorted(p.parent.name for p in APP.glob("*/__init__.py"))


def _layers() -> list[tuple[set[str], bool]]:
    """Top to bottom: each layer's packages and whether they are independent of each other."""
    found = []
    for layer in _contract("layers")["layers"]:
        independent = "|" in layer
        found.append(({n.strip() for n in re.split(r"[|:]", layer)}, independent))
    return found


def _declared(package: str) -> set[str]:
    """Other resources' modules the `resources` contract lets `package` import."""
    declared = set()
    for expression in _contract("resources")["ignore_imports"]:
        importer, imported = (side.strip() for side in expression.split("->"))
        if importer.split(".")[1] in (package, "*"):
            declared.add(imported)
    return declared


def _permitted(package: str, graph: grimp.ImportGraph) -> set[str]:
    layers = _layers()
    [index] = [i for i, (names, _) in enumerate(layers) if package in names]
    names, independent = layers[index]
    below = {f"app.{n}" for names_, _ in layers[index + 1 :] for n in names_}
    resources = {m.split(".")[1] for m in _contract("resources")["modules"]}
    if package in resources:
        permitted = below | _declared(package)
    elif independent:
        permitted = below
    else:
        permitted = below | {f"app.{n}" for n in names - {package}}
    edge = _contract("http-at-the-edge")
    modules = {m for m in graph.modules if m == f"app.{package}" or m.startswith(f"app.{package}.")}
    if any(fnmatch.fnmatch(m, p) for m in modules for p in edge["allowed_importers"]):
        permitted.add("generated")
    else:
        permitted -= set(edge["protected_modules"])
    for contract in _config()["contracts"]:
        if contract["type"] == "forbidden" and any(
            fnmatch.fnmatch(f"app.{package}", p) for p in contract["source_modules"]
        ):
            permitted -= set(contract["forbidden_modules"])
    return permitted


def _imported(package: str, graph: grimp.ImportGraph) -> set[str]:
    """What `package` imports: other packages, and other resources' modules by name."""
    resources = {m.split(".")[1] for m in _contract("resources")["modules"]}
    found = set()
    for module in graph.modules:
        if not module.startswith(f"app.{package}.") and module != f"app.{package}":
            continue
        for target in graph.find_modules_directly_imported_by(module):
            parts = target.split(".")
            if parts[0] == "generated":
                found.add("generated")
            elif parts[0] == "app" and len(parts) > 1 and parts[1] != package:
                cross = package in resources and parts[1] in resources
                found.add(target if cross else f"app.{parts[1]}")
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("app", "generated")


@pytest.mark.parametrize("package", _packages())
def test_the_docstring_states_what_the_package_imports(
    package: str, graph: grimp.ImportGraph
) -> None:
    stated = _stated(package)
    assert _imported(package, graph) - stated == set(), "imported but not stated"
    assert stated - _permitted(package, graph) == set(), "stated but not permitted"


def test_the_checker_refuses_a_statement_the_contracts_forbid(graph: grimp.ImportGraph) -> None:
    assert "app.http" not in _permitted("infra", graph)  # below the plumbing
    assert "app.container" not in _permitted("http", graph)  # above it
    assert "app.completions.handlers" not in _permitted("jobs", graph)  # another's internals
    assert "app.completions.service" in _permitted("jobs", graph)  # declared
    assert "generated" not in _permitted("ai", graph)
    assert "app.http" not in _permitted("tasks", graph)  # the worker
    assert "app.http" not in _permitted("cli", graph)
    assert "app.documents" not in _permitted("items", graph)
