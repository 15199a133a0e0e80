"""Connexion's validators with our rules (checklist items 3, 4, 8, 10): every error listed
with problem codes, one jsonschema validator per schema for the app's lifetime, and the
body parsed once (the handler gets the very value the validator accepted)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import ProblemException
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    ParameterValidator,
)
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from app.errors import Location, field_error
from app.http import validation

# Scope key of the request body as the body validator parsed (and then validated) it: the
# handler gets this very value, never a second parse by another parser.
BODY_KEY = "app.json_body"


def validator_map() -> dict[str, Any]:
    """The validator map passed to Connexion: every error listed, problem codes, and one
    jsonschema validator per body schema for the app's lifetime."""
    cache: dict[int, tuple[Mapping[str, Any], Any]] = {}

    def cached_validator(schema: Mapping[str, Any]) -> Any:
        hit = cache.get(id(schema))
        if hit is None or hit[0] is not schema:
            hit = (schema, validation.build_body_validator(schema))
            cache[id(schema)] = hit
        return hit[1]

    class BodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
        async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
            length = Headers(scope=scope).get("content-length", "0")
            if self._required and length == "0" and self._schema.get("default") is None:
                raise validation.missing_body()
            wrapped: tuple[Receive, Scope] = await super().wrap_receive(receive, scope=scope)
            return wrapped

        async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
            raw = b"".join([chunk async for chunk in stream])
            body = validation.parse_json(raw, self._encoding)
            scope[BODY_KEY] = body  # read only if `_validate` accepts it
            return body

        def _validate(self, body: Any) -> dict[str, Any] | None:
            if body is None:
                if self._nullable:
                    return None
                raise validation.missing_body()
            validation.validate_body(cached_validator(self._schema), body)
            return None

    param_cache: dict[int, tuple[Mapping[str, Any], Any]] = {}

    def cached_param_validator(param: Mapping[str, Any]) -> Any:
        hit = param_cache.get(id(param))
        if hit is None or hit[0] is not param:
            hit = (param, validation.build_param_validator(param.get("schema", param)))
            param_cache[id(param)] = hit
        return hit[1]

    class ParamValidator(ParameterValidator):  # type: ignore[misc]
        @staticmethod
        def validate_parameter(
            parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
        ) -> str | None:
            """Connexion's check with one validator per parameter for the app's lifetime
            (Connexion deep-copies the parameter and builds one per request) and our bounded,
            redacting message (its own echoes the whole value and schema)."""
            if is_nullable(param) and is_null(value):
                return None
            if value is None:
                missing = f"Missing {parameter_type} parameter '{param['name']}'"
                return missing if param.get("required") else None
            error = next(cached_param_validator(param).iter_errors(value), None)
            return validation.describe(error) if error is not None else None

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
                        errors.append(
                            field_error(location, param["name"], validation.first_line(message))
                        )
            if errors:
                raise validation.invalid_parameters(errors)

    class ResponseValidator(JSONResponseBodyValidator):  # type: ignore[misc]
        def wrap_send(self, send: Send) -> Send:
            # A HEAD response has GET's headers (validated already) and no body to validate.
            if self._scope.get("method") == "HEAD":
                return send
            wrapped: Send = super().wrap_send(send)
            return wrapped

    body = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    body["*/*json"] = BodyValidator
    response = MediaTypeDict(dict(VALIDATOR_MAP["response"]))
    response["*/*json"] = ResponseValidator
    response["text/event-stream"] = _EventStreamResponse
    return {"parameter": ParamValidator, "body": body, "response": response}


class _EventStreamResponse:
    """Server-sent events are not one JSON document: their `data` is checked by the tests
    against the spec's `x-events` schemas. Registered so Connexion does not log "Skipping
    validation" for every stream."""

    def __init__(self, _scope: Scope, **_: Any) -> None:
        pass

    def wrap_send(self, send: Send) -> Send:
        return send


def validated_body(scope: Scope) -> tuple[bool, Any]:
    """(True, body) when the body validator parsed and accepted this request's body."""
    return (True, scope[BODY_KEY]) if BODY_KEY in scope else (False, None)
