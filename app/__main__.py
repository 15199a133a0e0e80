"""`python -m app`: serve the API with uvicorn, configured from the settings.

    python -m app                                  # HOST:PORT, default 127.0.0.1:8000 (`make run`)
    python -m app --reload                         # restart on code or spec changes (`make dev`)
    python -m app --host 0.0.0.0 --workers 4       # production, behind a reverse proxy

`make run`, `make dev` and the live-server tests all serve through here, so what the tests
run is what users run. X-Forwarded-For / X-Forwarded-Proto are believed only from the
addresses in TRUSTED_PROXIES: uvicorn on its own trusts them from 127.0.0.1, which would
let any local client pick its address and dodge the per-client login lockout.

Part of the composition root: may import anything; nothing imports it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import uvicorn

from app.infra.db import check_database
from app.serving import ports
from app.settings import Settings, load_settings

APP = "app.main:create_app"


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy-header options for TRUSTED_PROXIES (empty: proxy headers ignored)."""
    if not settings.serving.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": settings.serving.trusted_proxies}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Serve the API.")
    parser.add_argument("--host", help="default: HOST (environment or .env), 127.0.0.1")
    parser.add_argument("--port", type=int, help="default: PORT (environment or .env), 8000")
    parser.add_argument(
        "--reload", action="store_true", help="restart when app/ or openapi/ changes"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes (not with --reload)")
    return parser


def banner(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    base = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"
    return (
        f"Serving the API on {base}\n"
        f"  API docs (Swagger UI): {base}/docs\n"
        "  Create an admin:       .venv/bin/flask users create-admin you@example.com\n"
    )


def check_port(host: str, port: int) -> None:
    """Refuse a port another process listens on with one line saying how to pick another,
    before the banner claims it."""
    ports.check_port(
        host, port, lambda other: f"PORT={other} make run (python -m app --port {other})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = load_settings()  # invalid configuration exits here, with a readable message
    host = args.host or settings.serving.host
    port = args.port or settings.serving.port
    check_database(settings)  # so does a database that cannot be used (one line, the fix)
    check_port(host, port)
    print(banner(host, port), flush=True)
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=None if args.reload else args.workers,
        reload=args.reload,
        reload_dirs=["app", "openapi"] if args.reload else None,
        reload_includes=["*.py", "*.yaml"] if args.reload else None,
        access_log=False,
        **proxy_options(settings),
    )


if __name__ == "__main__":
    main()
