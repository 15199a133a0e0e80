"""`flask dev lint|openapi|docs` with Click's CliRunner, on copies of the spec in tmp dirs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from app.cli.api_reference import render
from app.cli.contract import stale_reference
from app.cli.dev import dev_cli
from app.contract.bundle import HEADER, dump
from app.contract.spec import load_spec


def dev(*args: str) -> Result:
    return CliRunner().invoke(dev_cli, list(args))


@pytest.fixture
def spec_copy(tmp_path: Path, root_dir: Path) -> Path:
    """A project dir holding a copy of openapi/; returns its root document."""
    shutil.copytree(root_dir / "openapi", tmp_path / "openapi")
    return tmp_path / "openapi" / "openapi.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- flask dev openapi -----------------------------------------------------------------


def test_openapi_prints_the_bundle_as_yaml_and_json() -> None:
    as_yaml = dev("openapi")
    assert as_yaml.exit_code == 0, as_yaml.output
    assert as_yaml.output == dump(load_spec())
    assert as_yaml.output.startswith(HEADER)
    as_json = dev("openapi", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == load_spec()


def test_openapi_on_a_copy_reads_that_copy(spec_copy: Path) -> None:
    edit(spec_copy, "version: 1.0.0", "version: 9.9.9")
    result = dev("openapi", "--spec", str(spec_copy), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["info"]["version"] == "9.9.9"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # Valid YAML, invalid OpenAPI: the validator's message.
        ("  version: 1.0.0", "  version: [1, 2]", "not valid OpenAPI 3.0.3"),
        ("openapi: 3.0.3", "openapi: 3.1.0", "openapi must be 3.0.3"),
        ('{ $ref: "paths/items.yaml#/items" }', '{ $ref: "paths/nope.yaml#/items" }', "nope.yaml"),
        ("info:\n", "info: [\n", "not valid YAML"),
        ('x-problem-types: { $ref: "problems.yaml" }', "x-problem-types: {}", "x-problem-types"),
    ],
)
def test_openapi_refuses_a_broken_spec(spec_copy: Path, old: str, new: str, message: str) -> None:
    edit(spec_copy, old, new)
    result = dev("openapi", "--spec", str(spec_copy))
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith(f"Error: {spec_copy}: ")


def test_openapi_refuses_a_missing_file(tmp_path: Path) -> None:
    result = dev("openapi", "--spec", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert "cannot read" in result.output


# --- flask dev docs ----------------------------------------------------------------------


def test_docs_are_deterministic_and_check_passes(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = dev("docs", "--out", str(out))
        assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(first) for p in first.rglob("*.md"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.md"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    problems = catalogue_codes()
    assert {f"problems/{c}.md" for c in problems} <= {f.as_posix() for f in files}
    checked = dev("docs", "--out", str(first), "--check")
    assert checked.exit_code == 0, checked.output
    assert "is up to date" in checked.output


def catalogue_codes() -> list[str]:
    return list(load_spec()["x-problem-types"])


def test_docs_check_fails_on_a_stale_missing_or_extra_file(tmp_path: Path) -> None:
    out = tmp_path / "api"
    assert dev("docs", "--out", str(out)).exit_code == 0
    (out / "items.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "problems" / "token_expired.md").unlink()
    (out / "problems" / "retired_code.md").write_text("old\n", encoding="utf-8")
    result = dev("docs", "--out", str(out), "--check")
    assert result.exit_code == 1
    for name in ("items.md", "problems/token_expired.md", "problems/retired_code.md"):
        assert f"stale: {out / name}" in result.output
    assert "make generate" in result.output
    # Writing again repairs all three, and removes the page of the retired code.
    assert dev("docs", "--out", str(out)).exit_code == 0
    assert stale_reference(load_spec(), out) == []
    assert not (out / "problems" / "retired_code.md").exists()


def test_docs_follow_the_spec(spec_copy: Path, tmp_path: Path, root_dir: Path) -> None:
    edit(spec_copy.parent / "problems.yaml", "  title: Token expired", "  title: Token too old")
    out = tmp_path / "api"
    assert dev("docs", "--spec", str(spec_copy), "--out", str(out)).exit_code == 0
    assert (out / "problems" / "token_expired.md").read_text().count("# Token too old") == 1
    # ... and so the committed reference would now be stale against that spec.
    committed = str(root_dir / "docs" / "api")
    stale = dev("docs", "--spec", str(spec_copy), "--out", committed, "--check")
    assert stale.exit_code == 1


def test_docs_refuse_a_broken_spec(spec_copy: Path, tmp_path: Path) -> None:
    edit(spec_copy, "openapi: 3.0.3", "openapi: 3.1.0")
    result = dev("docs", "--spec", str(spec_copy), "--out", str(tmp_path / "api"))
    assert result.exit_code == 1
    assert not (tmp_path / "api").exists()


def test_the_committed_reference_is_current(root_dir: Path) -> None:
    assert stale_reference(load_spec(), root_dir / "docs" / "api") == []


def test_the_reference_covers_operations_roles_and_problem_pages() -> None:
    files = render(load_spec())
    index = files["README.md"]
    assert "| POST | [`/items`](items.md#post-items) | `createItem` | admin, user |" in index
    items = files["items.md"]
    assert "## POST /items" in items and "### Request body (required)" in items
    assert "[`payload_too_large`](problems/payload_too_large.md)" in items
    page = files["problems/last_admin.md"]
    assert page.splitlines()[2] == "# Last admin"
    assert "HTTP 409 Conflict" in page and '"type": "/docs/problems/last_admin"' in page


def test_docs_are_the_same_under_any_hash_seed(root_dir: Path) -> None:
    script = (
        "import hashlib, sys; from app.cli.api_reference import render; "
        "from app.contract.spec import load_spec; f = render(load_spec()); "
        "print(hashlib.sha256(repr(sorted(f.items())).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root_dir,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


# --- flask dev lint ----------------------------------------------------------------------


@pytest.fixture
def project(spec_copy: Path) -> Path:
    """A small project: the spec copy and one clean Python file."""
    root = spec_copy.parent.parent
    (root / "ok.py").write_text('"""A clean module."""\n\nVALUE = 1\n', encoding="utf-8")
    return root


def lint(root: Path, *args: str) -> Result:
    return dev("lint", "--root", str(root), *args)


def test_lint_passes_selected_gates(project: Path) -> None:
    result = lint(project, "--only", "spec,ruff,format")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ok", "spec"],
        ["ok", "ruff"],
        ["ok", "format"],
    ]


def test_lint_fails_when_a_gate_fails(project: Path) -> None:
    (project / "bad.py").write_text("import os\n", encoding="utf-8")  # F401, unused
    edit(project / "openapi" / "openapi.yaml", "openapi: 3.0.3", "openapi: 3.1.0")
    result = lint(project, "--only", "ruff,spec")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].split()[:2] == ["FAIL", "ruff"]
    assert "F401" in result.output and "openapi must be 3.0.3" in result.output
    assert "2 gate(s) failed: ruff, spec" in result.output


def test_lint_format_gate_and_fix(project: Path) -> None:
    (project / "messy.py").write_text("import os\nx=[1,2 ,3]\n", encoding="utf-8")
    failed = lint(project, "--only", "format")
    assert failed.exit_code == 1 and "messy.py" in failed.output
    fixed = lint(project, "--only", "ruff,format", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert (project / "messy.py").read_text() == "x = [1, 2, 3]\n"


def test_lint_generated_gate_fails_outside_a_full_project(project: Path) -> None:
    result = lint(project, "--only", "generated")
    assert result.exit_code == 1
    assert result.output.startswith("FAIL  generated")


@pytest.mark.parametrize("only", ["nope", "ruff,nope", ","])
def test_lint_refuses_unknown_gates(only: str) -> None:
    result = dev("lint", "--only", only)
    assert result.exit_code == 2
    assert "choose from ruff, format, mypy, spec, generated" in result.output


def test_dev_is_registered_on_the_flask_cli(app) -> None:
    result = app.app.test_cli_runner().invoke(args=["dev", "--help"])
    assert result.exit_code == 0
    for command in ("lint", "openapi", "docs"):
        assert command in result.output


def test_the_spec_used_here_is_the_yaml_on_disk(root_dir: Path) -> None:
    # The control for the copies above: the copied root is the real one.
    root = yaml.safe_load((root_dir / "openapi" / "openapi.yaml").read_text())
    assert root["x-problem-types"] == {"$ref": "problems.yaml"}
