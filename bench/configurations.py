"""The servers compared in one run: this service (1 and 2 processes) and the baselines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench.procs import HOST

Kind = Literal["service", "flask", "fastapi"]
SERVICE_FACTORY = "app.main:create_app"
PROBE_FACTORY = "bench.probe_app:create_app"
REFERENCE = "flask-2w"  # issue 9's targets are ratios against plain Flask, 2 sync workers
SECONDARY = "fastapi-2w"


@dataclass(frozen=True)
class Configuration:
    name: str
    label: str
    kind: Kind
    workers: int
    port_offset: int
    # A variant serves the service from another checkout (an ablation worktree: this tree
    # with one fix reverted, see bench/ablate.py) and is compared with `variant_of`.
    root: Path | None = None
    variant_of: str | None = None

    @property
    def is_baseline(self) -> bool:
        return self.kind != "service"

    def command(self, bin_dir: Path, port: int, *, probe: bool) -> list[str]:
        if self.kind == "flask":
            return [
                str(bin_dir / "gunicorn"),
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
                "bench.baselines.flask_app:create_app()",
            ]
        factory = {
            "service": PROBE_FACTORY if probe else SERVICE_FACTORY,
            "fastapi": "bench.baselines.fastapi_app:create_app",
        }[self.kind]
        return [
            str(bin_dir / "uvicorn"),
            "--factory",
            factory,
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]


CONFIGURATIONS: list[Configuration] = [
    Configuration("service-1w", "this service, uvicorn --workers 1", "service", 1, 1),
    Configuration("service-2w", "this service, uvicorn --workers 2", "service", 2, 2),
    Configuration("flask-2w", "plain Flask, gunicorn sync, 2 workers", "flask", 2, 3),
    Configuration("fastapi-2w", "FastAPI, uvicorn --workers 2", "fastapi", 2, 4),
]


VARIANT_BASE = "service-1w"
FIRST_VARIANT_OFFSET = 5


def variant(name: str, root: Path, index: int) -> Configuration:
    """`service-1w` served from the checkout at `root` (named `service-1w@<name>`)."""
    return Configuration(
        f"{VARIANT_BASE}@{name}",
        f"this service, uvicorn --workers 1, from {root.name} ({name})",
        "service",
        1,
        FIRST_VARIANT_OFFSET + index,
        root=root,
        variant_of=VARIANT_BASE,
    )


def by_name(names: list[str] | None) -> list[Configuration]:
    if not names:
        return list(CONFIGURATIONS)
    known = {c.name: c for c in CONFIGURATIONS}
    unknown = [n for n in names if n not in known]
    if unknown:
        msg = f"unknown configuration(s): {', '.join(unknown)}; known: {', '.join(known)}"
        raise SystemExit(msg)
    return [known[n] for n in names]
