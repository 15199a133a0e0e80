"""Imports run one way: the composition root on top, nothing imports upwards.

Each package's docstring says what it may import; this test is the enforcement. The
controls show the checker itself fails on a violation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

# Top to bottom. A module may import its own layer and any layer listed after it.
LAYERS: list[tuple[str, ...]] = [
    # app.tasks: the Celery worker, a composition root of its own (nothing imports it).
    # app.serving: gunicorn's configuration and worker (`make serve`); nothing imports it.
    ("app.main", "app.wiring", "app.__main__", "app.serving", "app.tasks"),
    ("app.cli",),
    ("app.api",),
    ("app.http",),
    ("app.services",),
    ("app.ai",),
    ("app.auth",),
    ("app.infra",),
    ("app.tables",),
    ("app.errors", "app.settings"),
]
# Cross-cutting exceptions, each with its reason.
FORBIDDEN_EXTRA: dict[str, tuple[str, ...]] = {
    # The CLI is not HTTP: it must not reach into request plumbing or handlers.
    "app.cli": ("app.http", "app.api"),
    # Infrastructure is generic: it knows no table (and the tables know no engine).
    "app.infra": ("app.tables",),
    "app.tables": ("app.infra",),
}
# ... except these: the contract's readers touch no request; `flask dev` needs them.
ALLOWED_EXTRA: dict[str, tuple[str, ...]] = {
    "app.cli": ("app.contract.bundle", "app.contract.problem_types"),
}
# The wire models may be used where the wire is: handlers, HTTP plumbing, the CLI.
GENERATED_ALLOWED = ("app.main", "app.wiring", "app.cli", "app.api", "app.http")


def layer_of(module: str) -> int | None:
    for index, names in enumerate(LAYERS):
        if any(module == n or module.startswith(n + ".") for n in names):
            return index
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(module: str, imports: set[str]) -> list[str]:
    own = layer_of(module)
    assert own is not None, f"{module} belongs to no layer: add it to LAYERS"
    bad = []
    for target in sorted(imports):
        if target == "generated" or target.startswith("generated."):
            if not any(module == a or module.startswith(a + ".") for a in GENERATED_ALLOWED):
                bad.append(f"{module} -> {target} (wire models stay at the edge)")
            continue
        if not target.startswith("app."):
            continue
        other = layer_of(target)
        if other is not None and other < own:
            bad.append(f"{module} -> {target} (upwards)")
        for prefix, forbidden in FORBIDDEN_EXTRA.items():
            allowed = ALLOWED_EXTRA.get(prefix, ())
            if any(target == a or target.startswith(a + ".") for a in allowed):
                continue
            if module.startswith(prefix) and any(target.startswith(f) for f in forbidden):
                bad.append(f"{module} -> {target} (forbidden for {prefix})")
    return bad


def app_modules() -> list[tuple[str, set[str]]]:
    return [
        (module_name(path), imported(ast.parse(path.read_text(encoding="utf-8"))))
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "__init__.py"  # the package marker imports nothing of ours
    ]


def test_every_module_belongs_to_a_layer() -> None:
    unplaced = [m for m, _ in app_modules() if layer_of(m) is None]
    assert unplaced == []


def test_imports_run_one_way() -> None:
    found = [v for module, imports in app_modules() for v in violations(module, imports)]
    assert found == []


@pytest.mark.parametrize(
    ("module", "target"),
    [
        ("app.users.service", "app.http.handler_context"),  # a service reaching into HTTP
        ("app.auth.service", "app.users.service"),  # the security domain importing upwards
        ("app.infra.db", "app.tables"),  # infrastructure knowing the tables
        ("app.cli.users", "app.http.parsing"),  # the CLI using request plumbing
        ("app.users.service", "generated.models"),  # a service returning wire models
        ("app.accounts.models", "app.main"),  # anything importing the composition root
    ],
)
def test_the_checker_catches_a_violation(module: str, target: str) -> None:
    assert violations(module, {target}) != []


def test_the_checker_allows_downward_imports() -> None:
    assert violations("app.users.handlers", {"app.users.service", "app.http.handler_context"}) == []
    assert violations("app.main", {"app.wiring", "app.cli", "generated.models"}) == []


def test_every_package_states_what_it_may_import() -> None:
    for init in APP.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if init.parent.name in {"models"}:
            continue
        assert "May import" in doc, f"{init}: say what the package may import"
