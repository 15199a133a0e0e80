"""generated/ can never drift from openapi/ (`make check-generated`): neither the bundled
spec (generated/openapi.yaml) nor the models (generated/models.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BUNDLE = ["scripts/bundle_spec.py"]
MODELS = ["scripts/generate_models.py"]
TARGETS = {"bundle": (BUNDLE, "generated/openapi.yaml"), "models": (MODELS, "generated/models.py")}


def _run(root: Path, script: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *script, *args], cwd=root, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("kind", TARGETS)
def test_committed_files_match_the_spec(root_dir: Path, kind: str) -> None:
    script, target = TARGETS[kind]
    result = _run(root_dir, script, "--check", "openapi/openapi.yaml", target)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def edited_spec(root_dir: Path, tmp_path: Path) -> Path:
    """A copy of openapi/ with a field added to a schema in one of the per-resource files."""
    spec_dir = tmp_path / "openapi"
    shutil.copytree(root_dir / "openapi", spec_dir)
    health = spec_dir / "components/health.yaml"
    text = health.read_text()
    anchor = "  Liveness:\n    type: object\n    required: [status]\n    properties:\n"
    edited = text.replace(anchor, anchor + "      uptime_seconds: { type: number }\n")
    assert edited != text
    health.write_text(edited)
    return spec_dir / "openapi.yaml"


@pytest.mark.parametrize("kind", TARGETS)
def test_editing_a_spec_file_without_regenerating_fails_the_check(
    root_dir: Path, edited_spec: Path, kind: str
) -> None:
    script, target = TARGETS[kind]
    result = _run(root_dir, script, "--check", str(edited_spec), target)
    assert result.returncode == 1
    assert "uptime_seconds" in result.stdout
    assert "make generate" in result.stderr


def test_a_broken_ref_fails_generation_with_its_reason(root_dir: Path, tmp_path: Path) -> None:
    spec_dir = tmp_path / "openapi"
    shutil.copytree(root_dir / "openapi", spec_dir)
    root = spec_dir / "openapi.yaml"
    root.write_text(root.read_text().replace("paths/users.yaml#/me", "paths/users.yaml#/mine"))
    for script in (BUNDLE, MODELS):
        result = _run(root_dir, script, str(root), str(tmp_path / "out"))
        assert result.returncode == 2, result.stderr
        assert "paths/users.yaml#/mine" in result.stderr
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", TARGETS)
def test_generation_is_deterministic(root_dir: Path, tmp_path: Path, kind: str) -> None:
    script, target = TARGETS[kind]
    outputs = []
    for i in range(2):
        out = tmp_path / f"out_{i}"
        result = _run(root_dir, script, "openapi/openapi.yaml", str(out))
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1] == (root_dir / target).read_text()
