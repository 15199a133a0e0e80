"""Request validation in our problem format (pure functions; Connexion hooks them in through
`app.http.connexion_compat`).

Connexion's defaults stop at the first error and raise a generic 400. These collect every
schema error into `errors` (field-level) with stable codes: `malformed_json` (400),
`invalid_parameter` (400), `validation_error` (422).

Messages never echo a secret: a value whose schema says `format: password` (the OpenAPI
hint for sensitive input) is described by the rule it breaks, never by its value, and so
is any object or array (it may hold one). Other echoed values are shortened.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from connexion.json_schema import Draft4RequestValidator
from jsonschema import Draft4Validator, FormatChecker, ValidationError

from app.errors import DomainError, InvalidInputError, Location, field_error

MAX_ECHOED_CHARS = 80
SECRET_FORMAT = "password"  # noqa: S105 - the OpenAPI format name, not a secret
# Keywords whose message names properties, never the submitted value.
_NAMES_ONLY = frozenset({"required", "dependencies"})
_RULES = {
    "minLength": "Must be at least {} characters long.",
    "maxLength": "Must be at most {} characters long.",
    "pattern": "Does not match the required pattern.",
    "format": "Must be a valid {}.",
    "enum": "Must be one of the allowed values.",
    "minimum": "Must be at least {}.",
    "maximum": "Must be at most {}.",
    "multipleOf": "Must be a multiple of {}.",
    "minItems": "Must have at least {} items.",
    "maxItems": "Must have at most {} items.",
    "uniqueItems": "Items must be unique.",
    "minProperties": "Must have at least {} properties.",
    "maxProperties": "Must have at most {} properties.",
    "additionalProperties": "Has fields that are not allowed here.",
}
# A surrogate can only come from a \uD800-\uDFFF escape: look for one before walking.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _field_path(error: ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    # A missing required property is reported on the parent; name the property itself.
    # jsonschema names it only in the message: "'email' is a required property".
    if error.validator == "required" and isinstance(error.message, str):
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else ""
        path = f"{path}.{missing}" if path and missing else (missing or path)
    return path


def is_secret(schema: Any) -> bool:
    return isinstance(schema, Mapping) and schema.get("format") == SECRET_FORMAT


def _short(value: Any) -> str:
    text = repr(value)
    if len(text) <= MAX_ECHOED_CHARS:
        return text
    return f"{text[:MAX_ECHOED_CHARS]}... ({len(text)} characters)"


def _rule(error: ValidationError) -> str:
    """What `error`'s keyword requires, without the value."""
    keyword, value = str(error.validator), error.validator_value
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return f"Must be of type {' or '.join(map(str, types))}."
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword in ("minimum", "maximum") and schema.get(f"exclusive{keyword.title()}"):
        return f"Must be {'greater' if keyword == 'minimum' else 'less'} than {value}."
    template = _RULES.get(keyword)
    return template.format(value) if template else f"Does not satisfy the '{keyword}' rule."


def describe(error: ValidationError) -> str:
    """One error as a message that echoes no secret and no long value."""
    if error.validator in _NAMES_ONLY:
        return error.message
    if is_secret(error.schema) or isinstance(error.instance, dict | list):
        return _rule(error)
    shown, message = repr(error.instance), error.message
    if error.validator == "pattern" and len(str(error.validator_value)) > MAX_ECHOED_CHARS:
        message = f"{shown} does not match the required pattern"
    if len(shown) > MAX_ECHOED_CHARS and message.startswith(shown):
        message = _short(error.instance) + message[len(shown) :]
    return message


def schema_errors(
    errors: Iterable[ValidationError], location: Location, prefix: str = ""
) -> list[dict[str, str]]:
    """Every schema error as a field error, unknown fields named one by one."""
    out = []
    for err in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        field = _field_path(err)
        name = f"{prefix}.{field}" if prefix and field else (prefix or field)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # Name each unexpected field (e.g. a client trying to set `role`).
            known = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
            for extra in sorted(k for k in err.instance if k not in known):
                path = f"{name}.{extra}" if name else extra
                out.append(field_error(location, path, "Unknown field; not allowed here."))
            continue
        out.append(field_error(location, name, describe(err)))
    return out


class _NonFiniteNumberError(ValueError):
    """`NaN`, `Infinity`, `-Infinity`, or a number beyond a double's range (`1e400`)."""


def _refuse_constant(name: str) -> Any:
    raise _NonFiniteNumberError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NonFiniteNumberError(text)
    return value


def loads(text: str) -> Any:
    """JSON as I-JSON (RFC 7493) allows: every number finite. Python's parser accepts
    `NaN` and `Infinity`, and reads `1e400` as infinity; no database column or JSON
    encoder downstream takes them (PostgreSQL refused them with a 500, SQLite stored null).
    The hooks run only for non-integer numbers and the three constants."""
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


MAX_JSON_DEPTH = 64  # objects and arrays nested in a request body (no operation needs more)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether objects/arrays nest deeper than `limit`, iteratively (no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            if level > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return False


def parse_json(raw: bytes, encoding: str) -> Any:
    """The body as JSON, or a 400 `malformed_json` / 415 problem; None when empty."""
    if not raw:
        return None
    try:
        text = raw.decode(encoding)
    except LookupError as exc:
        raise DomainError(
            f"Unsupported charset {encoding!r}.", code="unsupported_media_type"
        ) from exc
    except UnicodeDecodeError as exc:
        raise DomainError(f"The body is not valid {encoding}.", code="malformed_json") from exc
    try:
        value = loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise DomainError(f"The body is not valid JSON: {exc}", code="malformed_json") from exc
    except _NonFiniteNumberError as exc:
        raise DomainError(
            "The body is not valid JSON: numbers must be finite "
            "(no NaN or Infinity, and within a double's range).",
            code="malformed_json",
        ) from exc
    except ValueError as exc:  # e.g. an integer beyond Python's 4,300-digit conversion limit
        raise DomainError(
            "The body is not valid JSON: a number is too large.", code="malformed_json"
        ) from exc
    if _deeper_than(value, MAX_JSON_DEPTH):
        # Checked before anything walks the value recursively (schema validation, the
        # handlers): how deep a parse succeeds depends on the stack it runs on, and a
        # RecursionError later would be a 500.
        raise DomainError(
            f"The body is not valid JSON here: it is nested deeper than {MAX_JSON_DEPTH} levels.",
            code="malformed_json",
        )
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        # I-JSON (RFC 7493): such strings cannot be stored or re-encoded as UTF-8.
        raise DomainError(
            "The body is not valid JSON: it contains an unpaired surrogate escape.",
            code="malformed_json",
        )
    return value


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    return False


_DATE_TIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d):(\d\d))"
)
_rfc3339, _ = Draft4Validator.FORMAT_CHECKER.checkers["date-time"]


def is_representable_date_time(value: object) -> bool:
    """An RFC 3339 date-time whose UTC instant lies within years 1-9999, the range every
    layer below can hold (`9999-12-31T23:59:59-14:00` is year 10000 in UTC)."""
    if not isinstance(value, str):
        return True
    if not _rfc3339(value):
        return False
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    sign, offset_h, offset_m = match.groups()[6:]
    try:
        local = datetime(year, month, day, hour, minute, min(second, 59))
        if sign is not None:
            offset = timedelta(hours=int(offset_h), minutes=int(offset_m))
            local = local - offset if sign == "+" else local + offset
    except (ValueError, OverflowError):
        return False
    return True


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checkers = dict(Draft4Validator.FORMAT_CHECKER.checkers)
FORMAT_CHECKER.checks("date-time")(is_representable_date_time)


def build_body_validator(schema: Mapping[str, Any]) -> Draft4RequestValidator:
    """Connexion's request validator (it honours readOnly/writeOnly) with format checks."""
    return Draft4RequestValidator(schema, format_checker=FORMAT_CHECKER)


def build_param_validator(schema: Mapping[str, Any]) -> Draft4Validator:
    """A parameter's schema validator (Draft 4 with format checks, as Connexion uses)."""
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def validate_body(validator: Draft4RequestValidator, body: Any) -> None:
    errors = schema_errors(validator.iter_errors(body), "body")
    if errors:
        raise InvalidInputError("The request body does not match the schema.", errors=errors)


def first_line(message: str) -> str:
    """jsonschema's str() includes the whole schema; keep only the summary line."""
    return message.strip().splitlines()[0] if message.strip() else message


def missing_body() -> DomainError:
    return DomainError("A JSON request body is required.", code="missing_body")


def invalid_parameters(errors: list[dict[str, str]]) -> DomainError:
    return DomainError(
        "One or more request parameters are invalid.", code="invalid_parameter", errors=errors
    )
