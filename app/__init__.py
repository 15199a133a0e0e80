"""Spec-first Flask (Connexion) API with an LLM layer."""

import warnings

# Connexion 3.3 imports starlette.testclient at import time, which warns on every CLI call
# and server start. Nothing here uses that client at runtime; silence just this warning.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
