"""generated/clients/ (the SDKs `make sdk` writes) can never drift from openapi/: the
committed trees equal a fresh generation (so generation is deterministic: the commit was
made on another run, usually another machine), and an edited spec fails the check with a
diff. The TypeScript SDK needs the pinned Node tools (`npm ci` when node_modules/ is
missing); without node and npm its cases skip (with `CI=true` they fail)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sdk_clients import node_tools

SCRIPT = "scripts/generate_sdks.py"
LANGS = ("python", "typescript")


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, SCRIPT, *args], cwd=root, capture_output=True, text=True, check=False
    )


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, root_dir: Path) -> str:
    if request.param == "typescript":
        node_tools()
    return str(request.param)


def test_committed_sdks_match_the_spec(root_dir: Path, lang: str) -> None:
    result = _run(root_dir, "--check", "--only", lang, "openapi/openapi.yaml", "generated/clients")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_editing_the_spec_without_regenerating_fails_the_check(
    root_dir: Path, tmp_path: Path, lang: str
) -> None:
    spec_dir = tmp_path / "openapi"
    shutil.copytree(root_dir / "openapi", spec_dir)
    health = spec_dir / "components/health.yaml"
    anchor = "  Liveness:\n    type: object\n    required: [status]\n    properties:\n"
    text = health.read_text()
    assert anchor in text
    health.write_text(text.replace(anchor, anchor + "      uptime_seconds: { type: number }\n"))
    spec = str(spec_dir / "openapi.yaml")
    result = _run(root_dir, "--check", "--only", lang, spec, "generated/clients")
    assert result.returncode == 1
    assert "uptime_seconds" in result.stdout
    assert "make generate" in result.stderr
