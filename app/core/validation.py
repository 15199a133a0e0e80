"""Connexion validators that report errors in our problem format.

Connexion's defaults stop at the first error and raise a generic 400. These subclasses
collect every schema error into `errors` (field-level) with stable codes:
`malformed_json` (400), `invalid_parameter` (400), `validation_error` (422).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Iterable
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import ProblemException
from connexion.json_schema import Draft4RequestValidator
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from starlette.datastructures import Headers
from starlette.types import Receive, Scope

from app.core.errors import AppError, Location, RequestValidationError, field_error


def _field_path(error: ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    # A missing required property is reported on the parent; name the property itself.
    if error.validator == "required" and isinstance(error.message, str):
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else ""
        path = f"{path}.{missing}" if path and missing else (missing or path)
    return path


def _schema_errors(
    errors: Iterable[ValidationError], location: Location, prefix: str = ""
) -> list[dict[str, str]]:
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
        out.append(field_error(location, name, err.message))
    return out


class ProblemJSONBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
    """JSON body validator: every schema error listed, malformed JSON is a 400."""

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        length = Headers(scope=scope).get("content-length", "0")
        if self._required and length == "0" and self._schema.get("default") is None:
            raise AppError("A JSON request body is required.", code="missing_body")
        wrapped: tuple[Receive, Scope] = await super().wrap_receive(receive, scope=scope)
        return wrapped

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
        raw = b"".join([chunk async for chunk in stream])
        if not raw:
            return None
        try:
            text = raw.decode(self._encoding)
        except LookupError as exc:
            raise AppError(
                f"Unsupported charset {self._encoding!r}.",
                status=415,
                code="unsupported_media_type",
            ) from exc
        except UnicodeDecodeError as exc:
            raise AppError(
                f"The body is not valid {self._encoding}.", code="malformed_json"
            ) from exc
        try:
            return json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise AppError(f"The body is not valid JSON: {exc}", code="malformed_json") from exc

    def _validate(self, body: Any) -> dict[str, Any] | None:
        if body is None:
            if self._nullable:
                return None
            raise AppError("A JSON request body is required.", code="missing_body")
        validator = Draft4RequestValidator(
            self._schema, format_checker=Draft4Validator.FORMAT_CHECKER
        )
        errors = _schema_errors(validator.iter_errors(body), "body")
        if errors:
            raise RequestValidationError(
                "The request body does not match the schema.", errors=errors
            )
        return None


class ProblemParameterValidator(ParameterValidator):  # type: ignore[misc]
    """Parameter validator: all invalid parameters listed, unknown query params rejected."""

    def validate_request(self, request: Any) -> None:
        errors: list[dict[str, str]] = []
        if self.strict_validation:
            extra = self.validate_query_parameter_list(
                request, security_params=self.security_query_params
            )
            errors += [
                field_error("query", name, "Unknown query parameter.") for name in sorted(extra)
            ]
        getters: dict[Location, Any] = {
            "query": self.validate_query_parameter,
            "path": self.validate_path_parameter,
            "header": self.validate_header_parameter,
            "cookie": self.validate_cookie_parameter,
        }
        for location, getter in getters.items():
            for param in self.parameters.get(location, []):
                try:
                    message = getter(param, request)
                except ProblemException as exc:  # type coercion failed in the URI parser
                    message = str(exc.detail)
                except (ValueError, TypeError) as exc:
                    message = str(exc)
                if message:
                    errors.append(field_error(location, param["name"], _first_line(message)))
        if errors:
            raise AppError(
                "One or more request parameters are invalid.",
                code="invalid_parameter",
                errors=errors,
            )


def _first_line(message: str) -> str:
    """jsonschema's str() includes the whole schema; keep only the summary line."""
    return message.strip().splitlines()[0] if message.strip() else message


def validator_map() -> dict[str, Any]:
    """The validator map passed to Connexion."""
    body = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    body["*/*json"] = ProblemJSONBodyValidator
    return {"parameter": ProblemParameterValidator, "body": body}
