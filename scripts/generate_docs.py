"""Write or check docs/api/ from the spec: `flask dev docs` without loading the app.

    python scripts/generate_docs.py [--check] --spec openapi/openapi.yaml --out docs/api

`make generate` / `make check-generated` use this, so generating the reference needs no
settings, database or secret (the `flask` entry point builds the whole app first).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file, not -m

from app.cli.dev import docs

if __name__ == "__main__":
    docs(prog_name="generate_docs.py")
