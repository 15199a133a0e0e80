"""Checking the contract and writing its generated reference, for `flask dev`.

The spec check is what `flask dev openapi` and the lint gate `spec` run: the bundle must
build, be valid OpenAPI 3.0.3 (openapi-spec-validator, as the contract tests use) and carry
a well-formed problem-type catalogue. The validator is a dev dependency, imported only here
when a check runs, so production images (no dev extras) still load the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.cli.api_reference import render
from app.contract.bundle import BundleError, bundle
from app.contract.problem_types import catalogue


class SpecError(Exception):
    """The spec does not pass the checks; the message says why."""


def checked_spec(path: Path) -> dict[str, Any]:
    """The bundled spec at `path`, or SpecError with the validator's message."""
    try:
        from openapi_spec_validator import validate  # noqa: PLC0415 - a dev dependency
        from openapi_spec_validator.validation.exceptions import (  # noqa: PLC0415
            OpenAPIValidationError,
        )
    except ImportError as exc:  # pragma: no cover - the test environment has it
        raise SpecError("openapi-spec-validator is missing: run `make install`") from exc
    try:
        spec = bundle(path)
    except BundleError as exc:
        raise SpecError(str(exc)) from None
    if spec.get("openapi") != "3.0.3":
        raise SpecError(f"openapi must be 3.0.3 (Connexion 3.3), not {spec.get('openapi')!r}")
    try:
        validate(spec)
    except OpenAPIValidationError as exc:
        raise SpecError(f"not valid OpenAPI 3.0.3: {_first_line(exc)}") from None
    try:
        catalogue(spec)
    except ValueError as exc:
        raise SpecError(str(exc)) from None
    return spec


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def stale_reference(spec: dict[str, Any], out: Path) -> list[str]:
    """Paths under `out` that differ from the reference the spec renders (or are extra)."""
    files = render(spec)
    stale = [
        path
        for path, text in files.items()
        if not (out / path).is_file() or (out / path).read_text(encoding="utf-8") != text
    ]
    extra = [p for p in _markdown_under(out) if p not in files]
    return sorted([*stale, *extra])


def write_reference(spec: dict[str, Any], out: Path) -> int:
    """Write the reference into `out`, removing markdown files it no longer has."""
    files = render(spec)
    for path in _markdown_under(out):
        if path not in files:
            (out / path).unlink()
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return len(files)


def _markdown_under(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) if out.is_dir() else []
