"""Loading the contract once, and facts derived from it.

The contract is `openapi/openapi.yaml` plus the per-resource files it `$ref`s; `load_spec`
bundles them (app/contract/bundle.py) into the one document everything else reads.
`generated/openapi.yaml` is the same bundle committed for tools outside the app (SDK
generators, linters); `make check-generated` keeps the two identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from app.accounts.models import Role
from app.contract.bundle import bundle
from app.contract.roles import roles_by_operation
from app.settings import ROOT_DIR

SPEC_DIR = ROOT_DIR / "openapi"
SPEC_PATH = SPEC_DIR / "openapi.yaml"
BUNDLE_PATH = ROOT_DIR / "generated" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The bundled spec, parsed once per process (the files are read-only at runtime).
    Callers must not mutate it."""
    return bundle(path)


def base_path(spec: dict[str, Any]) -> str:
    """Path of the first server URL, e.g. `/api/v1`."""
    url: str = spec["servers"][0]["url"]
    return urlparse(url).path.rstrip("/")


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, operation) in the spec."""
    return [
        (method, path, op)
        for path, item in spec.get("paths", {}).items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def allowed_methods(spec: dict[str, Any]) -> Callable[[str], list[str] | None]:
    """A lookup from a request path to the methods the spec declares for it.

    Used for the `Allow` header of 405s: Starlette's router reports only the first
    partially-matching route's methods. Static paths win over templated ones (as in
    routing: `/users/me` is not `/users/{user_id}`).
    """
    prefix = base_path(spec)
    static: dict[str, list[str]] = {}
    templated: list[tuple[re.Pattern[str], list[str]]] = []
    for path, item in spec.get("paths", {}).items():
        methods = sorted(m.upper() for m in item if m in HTTP_METHODS)
        if "GET" in methods:
            methods.append("HEAD")
        if "{" in path:
            regex = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(prefix + path))
            templated.append((re.compile(regex + "$"), methods))
        else:
            static[prefix + path] = methods

    def lookup(request_path: str) -> list[str] | None:
        if request_path in static:
            return static[request_path]
        for regex, methods in templated:
            if regex.match(request_path):
                return methods
        return None

    return lookup


def role_table(spec: dict[str, Any]) -> dict[str, frozenset[Role]]:
    """operationId -> roles allowed by `x-roles`, for every secured operation."""
    return roles_by_operation(operations(spec), spec.get("security", []))
