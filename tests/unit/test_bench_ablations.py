"""The ablation patches still apply (a fix whose revert rotted would silently drop out of
`make bench-ablate`), and variants are refused unless they name a checkout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bench import ablate
from bench.run import parse_args

ROOT = Path(__file__).resolve().parents[2]
PATCHES = sorted((ROOT / "bench" / "ablations").glob("*.patch"))


def test_there_is_a_patch_per_measured_fix() -> None:
    assert {p.stem for p in PATCHES} >= {
        "one-session-per-request",
        "no-pre-ping",
        "auth-without-thread-hop",
        "validators-built-once",
        "handlers-decorated-once",
        "swagger-ui-after-routing",
        "structlog-filter-first",
        "contract-loaded-fast",
        "jwt-key-checked-once",
    }


@pytest.mark.parametrize("patch", PATCHES, ids=[p.stem for p in PATCHES])
def test_patch_applies_to_the_tree(patch: Path) -> None:
    git = shutil.which("git")
    assert git is not None
    done = subprocess.run(
        [git, "apply", "--check", str(patch)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{patch.name} no longer applies: {done.stderr}"
    touched = [line for line in patch.read_text().splitlines() if line.startswith("+++ ")]
    assert touched and all(line.startswith("+++ b/app/") for line in touched), touched


def test_unknown_fix_is_refused() -> None:
    with pytest.raises(ablate.AblationError, match=r"no bench/ablations/nope\.patch"):
        ablate.patches(["nope"])


def test_variant_must_name_a_checkout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args([f"--variant=x={tmp_path}"])
    assert "expected NAME=PATH of a checkout" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse_args(["--configs", "flask-2w", f"--variant=x={ROOT}"])
    assert "needs service-1w" in capsys.readouterr().err
    opts = parse_args([f"--variant=x={ROOT}"])
    names = [c.name for c in opts.configurations]
    assert names[-1] == "service-1w@x"
    assert opts.configurations[-1].root == ROOT
    assert opts.configurations[-1].port_offset not in {
        c.port_offset for c in opts.configurations[:-1]
    }
