"""Generate the client SDKs from the spec into generated/clients/, or check they are current.

    python scripts/generate_sdks.py [--check] [--only python|typescript] \
        openapi/openapi.yaml generated/clients

- generated/clients/python: openapi-python-client (pinned in the dev extra), a package a
  client team can `pip install` (`spec_first_api_client`; one module per operation, named
  after its operationId in snake_case: `api/items/create_item.py`).
- generated/clients/typescript: @hey-api/openapi-ts with its fetch client (pinned in
  package.json, installed by `npm ci`): TypeScript sources, one function per operationId
  (`createItem`).

Both read the bundle of the spec (app/contract/bundle.py), the document the app serves.
The options live here only, so `make sdk` and `make check-generated` cannot disagree, and
the output is deterministic (pinned generators, pinned ruff, no timestamps): any diff means
the spec changed without regenerating.
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file, not -m

from app.contract.bundle import BundleError, bundle, dump  # noqa: E402

PYTHON_PACKAGE = "spec_first_api_client"
PYTHON_CONFIG = {
    "project_name_override": "spec-first-api-client",
    "package_name_override": PYTHON_PACKAGE,
    # Formatting is done below with this venv's pinned ruff, not whatever is on PATH.
    "post_hooks": [],
}
# poetry-core is the build backend: a plain `pip install` of the directory builds it.
PYTHON_META = "poetry"
TS_PLUGINS = ["@hey-api/typescript", "@hey-api/sdk", "@hey-api/client-fetch"]
# Build leftovers a local install or import may leave in a generated tree.
IGNORED = {"__pycache__", "build", "dist", ".ruff_cache"}


def _venv_tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def generate_python(spec: Path, out: Path) -> None:
    """openapi-python-client, then ruff (fix-only + format) with the generated ruff config."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        config.write_text(yaml.safe_dump(PYTHON_CONFIG), encoding="utf-8")
        cmd = [_venv_tool("openapi-python-client"), "generate", f"--path={spec}"]
        cmd += [f"--output-path={out}", f"--config={config}", f"--meta={PYTHON_META}"]
        _run([*cmd, "--fail-on-warning"], cwd=ROOT)
    ruff = _venv_tool("ruff")
    _run([ruff, "check", "--no-cache", "--fix-only", "--quiet", "."], cwd=out)
    _run([ruff, "format", "--no-cache", "--quiet", "."], cwd=out)


def generate_typescript(spec: Path, out: Path) -> None:
    """@hey-api/openapi-ts from node_modules (`npm ci`), with the fetch client."""
    exe = ROOT / "node_modules/.bin/openapi-ts"
    if not exe.exists():
        raise SystemExit(f"error: {exe.relative_to(ROOT)} missing: run `npm ci` (make sdk does)")
    config = {
        "input": str(spec),
        "output": {
            "path": str(out),
            # Without a tsconfig the generator looks for one above the config file and
            # adapts its imports to it; fixed here, so the output is the same everywhere.
            # Imports end in .js: what Node's ESM, `nodenext` and bundlers all resolve.
            "tsConfigPath": None,
            "module": {"extension": ".js"},
        },
        "plugins": TS_PLUGINS,
    }
    path = spec.with_name("openapi-ts.config.mjs")
    path.write_text(f"export default {json.dumps(config, indent=2)};\n", encoding="utf-8")
    _run([str(exe), "-f", str(path), "--no-log-file", "-s"], cwd=spec.parent)


GENERATORS: dict[str, Callable[[Path, Path], None]] = {
    "python": generate_python,
    "typescript": generate_typescript,
}


def _run(cmd: list[str], cwd: Path) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"error: {Path(cmd[0]).name} failed ({result.returncode})")


def _files(tree: Path) -> dict[str, bytes]:
    if not tree.is_dir():
        return {}
    return {
        str(path.relative_to(tree)): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and not IGNORED & set(path.relative_to(tree).parts)
    }


def compare(committed: Path, fresh: Path) -> list[str]:
    """A unified diff of every file that differs, is missing or is extra."""
    old, new = _files(committed), _files(fresh)
    lines: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) == new.get(name):
            continue
        before = old.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = new.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines += difflib.unified_diff(
            before, after, fromfile=f"{committed / name} (committed)", tofile=f"{name} (fresh)"
        )
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", type=Path, help="the root document")
    parser.add_argument("target", type=Path, help="the directory holding one folder per SDK")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--only", choices=sorted(GENERATORS), action="append")
    args = parser.parse_args()

    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        # Named like the root: generators copy the file name and title into their output.
        bundled = Path(tmp) / args.spec.name
        try:
            bundled.write_text(dump(bundle(args.spec)), encoding="utf-8")
        except BundleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for lang in args.only or sorted(GENERATORS):
            fresh = Path(tmp) / "out" / lang
            GENERATORS[lang](bundled, fresh)
            target = args.target / lang
            if not args.check:
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(fresh, target)
                print(f"wrote {target}")
                continue
            diff = compare(target, fresh)
            if not diff:
                print(f"{target} is up to date with {args.spec}")
                continue
            sys.stdout.writelines(diff)
            hint = "run `make generate` (or `make sdk`) and commit the result"
            print(f"\n{target} is stale: {hint}.", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
