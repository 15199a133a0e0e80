"""Mount the probe API on an app built by the real factory."""

from __future__ import annotations

from pathlib import Path

import connexion

SPEC = Path(__file__).with_name("probe_api.yaml")


def with_probe(app: connexion.FlaskApp) -> connexion.FlaskApp:
    app.add_api(SPEC, base_path="/_probe")
    return app
