"""`flask dev ...`: developer tools for the contract.

- `lint`: the lint gates (ruff, format, mypy, spec, generated), one line each.
- `openapi`: check the spec and print the bundle.
- `docs`: write (or `--check`) the markdown reference in docs/api/.
- `new-resource`: scaffold an owned resource (spec, package, migration, tests).

`--spec`/`--root`/`--out` point the commands at other files, so they can be tried (and
tested) on a copy without touching openapi/.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import click

from app.cli.contract import SpecError, checked_spec, stale_reference, write_reference
from app.cli.lint_gates import GATE_NAMES, gates, run_gate
from app.cli.profile import profile
from app.cli.scaffold import ScaffoldError
from app.cli.scaffold import new_resource as scaffold
from app.contract.bundle import dump
from app.settings import ROOT_DIR

SPEC = ROOT_DIR / "openapi" / "openapi.yaml"
DOCS_OUT = ROOT_DIR / "docs" / "api"
_spec_option = click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=SPEC,
    show_default=True,
    help="The root document of the spec.",
)


@click.group("dev")
def dev_cli() -> None:
    """Developer tools: lint gates, the spec, the API reference, profiling."""


dev_cli.add_command(profile)


def _spec(path: Path) -> dict[str, object]:
    try:
        return checked_spec(path)
    except SpecError as exc:
        raise click.ClickException(f"{path}: {exc}") from None


@dev_cli.command("openapi")
@_spec_option
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True
)
def openapi(spec_path: Path, fmt: str) -> None:
    """Validate the spec (OpenAPI 3.0.3, problem catalogue) and print the bundle."""
    spec = _spec(spec_path)
    click.echo(dump(spec) if fmt == "yaml" else json.dumps(spec, indent=2), nl=fmt == "json")


@dev_cli.command("docs")
@_spec_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DOCS_OUT,
    show_default=True,
    help="Directory of the markdown reference.",
)
@click.option("--check", is_flag=True, help="Fail if the files differ instead of writing.")
def docs(spec_path: Path, out: Path, check: bool) -> None:
    """Write the markdown API reference (operations, schemas, problem types) into --out."""
    spec = _spec(spec_path)
    if not check:
        count = write_reference(spec, out)
        click.echo(f"wrote {count} files to {out}")
        return
    stale = stale_reference(spec, out)
    if stale:
        for path in stale:
            click.echo(f"stale: {out / path}")
        raise click.ClickException(f"{out} is stale: run `make generate` and commit the result")
    click.echo(f"{out} is up to date with {spec_path}")


def _gate_names(value: str | None) -> list[str]:
    if not value:
        return list(GATE_NAMES)
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in GATE_NAMES]
    if unknown or not names:
        raise click.BadParameter(f"choose from {', '.join(GATE_NAMES)}", param_hint="--only")
    return names


@dev_cli.command("lint")
@click.option("--only", help=f"Comma-separated gates to run ({','.join(GATE_NAMES)}).")
@click.option("--fix", is_flag=True, help="Let ruff fix and format instead of only checking.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=ROOT_DIR,
    help="Project directory the gates run in.",
)
def lint(only: str | None, fix: bool, root: Path) -> None:
    """Run the lint gates; one line per gate, exit 1 if any failed."""
    available = gates(root.resolve(), fix=fix)
    failed = []
    for name in _gate_names(only):
        start = time.monotonic()
        failure = run_gate(available[name], root.resolve())
        took = f"{time.monotonic() - start:.1f}s"
        click.echo(f"{'ok' if failure is None else 'FAIL':<4}  {name:<9}  {took}")
        if failure is not None:
            failed.append(name)
            click.echo("".join(f"      {line}\n" for line in failure.splitlines()), nl=False)
    if failed:
        raise click.ClickException(f"{len(failed)} gate(s) failed: {', '.join(failed)}")


@dev_cli.command("new-resource")
@click.argument("name")
@click.option("--singular", help="The singular (default: NAME without its plural ending).")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=ROOT_DIR,
    show_default=True,
    help="The project to add it to.",
)
def new_resource(name: str, singular: str | None, root: Path) -> None:
    """Add an owned resource NAME (plural, e.g. `notes`): spec paths and components, the
    package app/NAME/, a migration and tests/NAME/. Then run `make generate` and
    `make migrate`."""
    try:
        written = scaffold(root, name, singular)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    python = [str(p) for p in written if p.suffix == ".py"]
    for args in (["check", "--fix", "--select", "I", "--quiet"], ["format", "--quiet"]):
        # Our own files, our own formatter: import order depends on the name.
        command = [sys.executable, "-m", "ruff", *args, *python]
        subprocess.run(command, cwd=root, check=False)  # noqa: S603
    for path in written:
        click.echo(f"wrote {path.relative_to(root)}")
    click.echo("next: make generate && make migrate, then run the tests in tests/" + name)
