"""generated/models.py can never drift from the spec (`make check-generated`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = ["scripts/generate_models.py"]


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *SCRIPT, *args], cwd=root, capture_output=True, text=True, check=False
    )


def test_committed_models_match_the_spec(root_dir: Path) -> None:
    result = _run(root_dir, "--check", "openapi/openapi.yaml", "generated/models.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_editing_the_spec_without_regenerating_fails_the_check(
    root_dir: Path, tmp_path: Path
) -> None:
    spec = (root_dir / "openapi/openapi.yaml").read_text()
    edited = spec.replace(
        "    Liveness:\n      type: object\n      required: [status]\n      properties:\n",
        "    Liveness:\n      type: object\n      required: [status]\n      properties:\n"
        "        uptime_seconds: { type: number }\n",
    )
    assert edited != spec
    (tmp_path / "openapi.yaml").write_text(edited)
    result = _run(root_dir, "--check", str(tmp_path / "openapi.yaml"), "generated/models.py")
    assert result.returncode == 1
    assert "uptime_seconds" in result.stdout
    assert "make generate" in result.stderr


def test_generation_is_deterministic(root_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for i in range(2):
        target = tmp_path / f"models_{i}.py"
        result = _run(root_dir, "openapi/openapi.yaml", str(target))
        assert result.returncode == 0, result.stderr
        outputs.append(target.read_text())
    assert outputs[0] == outputs[1] == (root_dir / "generated/models.py").read_text()
