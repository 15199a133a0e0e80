"""The real factory plus the bench-only probe API at /_bench (slow handler, pool facts).

    uvicorn --factory bench.probe_app:create_app

The product scenarios are served by app.main:create_app itself; only the slow-handler
probe uses this factory, so the product routes are measured without the extra API.
"""

from __future__ import annotations

from pathlib import Path

import connexion

from app.http.connexion_compat import wsgi_threads
from app.main import create_app as create_service_app
from bench.probe_handlers import CONCURRENCY_KEY

SPEC = Path(__file__).with_name("probe_api.yaml")
BASE_PATH = "/_bench"


def _concurrency(app: connexion.FlaskApp) -> tuple[int, str]:
    """Requests one process runs at once: the pool Flask runs in."""
    return wsgi_threads(app), "a2wsgi executor"


def create_app() -> connexion.FlaskApp:
    app = create_service_app()
    app.add_api(SPEC, base_path=BASE_PATH)
    app.app.config[CONCURRENCY_KEY] = _concurrency(app)
    return app
