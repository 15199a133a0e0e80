"""Validate each OpenAPI document once per test process, not once per app.

Connexion checks the whole document against the OpenAPI meta-schema in every `create_app`:
about 85% of building an app (a second or more on a loaded 2-core machine), and the suite
builds hundreds of apps from the same few documents. The check is a pure function of the
document, so a document that passed once passes again: `remember_valid_specs()` skips the
repeat for a document already seen valid (keyed by its content) and runs the real check for
every other one, so an invalid document is still refused every time. Production builds one
app per process and never loads this module.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from connexion.spec import Specification

_seen_valid: set[str] = set()


def _key(cls: type, spec: Any) -> str:
    text = json.dumps(spec, sort_keys=True, default=repr)
    return f"{cls.__module__}.{cls.__qualname__}:{hashlib.sha256(text.encode()).hexdigest()}"


def remember_valid_specs() -> None:
    """Wrap Connexion's spec check with a memo of the documents it accepted."""
    check = Specification.__dict__["_validate_spec"].__func__
    if getattr(check, "remembers_valid_specs", False):
        return

    def validate_once(cls: type, spec: Any) -> None:
        key = _key(cls, spec)
        if key in _seen_valid:
            return
        check(cls, spec)  # raises InvalidSpecification: nothing remembered
        _seen_valid.add(key)

    validate_once.remembers_valid_specs = True  # type: ignore[attr-defined]
    Specification._validate_spec = classmethod(validate_once)  # type: ignore[assignment,method-assign]
