from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """RFC 9457 problem details, extended with a stable `code`, field `errors`, `request_id` and
    (when tracing is on) `trace_id`.

    Every `code` is a problem type of its own (the root's `x-problem-types` lists them all,
    with their status and help), so `type` is one URI per code and `title` that type's
    summary. `type` is `<PROBLEM_TYPE_BASE_URL><code>`; by default the base is
    `/docs/problems/`, a relative reference (RFC 9457 allows it) resolving against the
    request URL to a page this API serves, e.g. `/docs/problems/token_expired`: what the
    code means and how to fix it. It stays relative by default because the API cannot
    know its public origin behind proxies, and deriving it from `Host` would make the
    identifier vary per request; deployments that host the generated docs
    (`docs/api/problems/<code>.md`) set an absolute base, which RFC 9457 recommends.
    Clients branch on `code`; `type` is for humans and links.

        Example:
            {'type': '/docs/problems/validation_error', 'title': 'Validation failed', 'status': 422, 'detail': 'The request
                body does not match the schema.', 'code': 'validation_error', 'errors': [{'location': 'body', 'field': 'name',
                'message': "'name' is a required property"}], 'request_id': '9f1c2d3e4b5a46789abc0def12345678'}

        Attributes:
            type_ (str): The problem type, one per `code`; dereference it for a page explaining the code. Example:
                /docs/problems/validation_error.
            title (str): Short summary of the problem type (the same for every occurrence of a `code`). Example: Validation
                failed.
            status (int): HTTP status code. Example: 422.
            code (str): Stable snake_case machine code; clients branch on this, not on `title`. Example: validation_error.
            request_id (str): Same value as the `X-Request-ID` response header. Example: 9f1c2d3e4b5a46789abc0def12345678.
            detail (None | str | Unset): Explanation specific to this occurrence. Example: The request body does not match
                the schema..
            instance (None | str | Unset): URI reference of this occurrence. Example: /api/v1/items.
            errors (list[FieldError] | Unset): Field-level errors, where relevant.
            trace_id (str | Unset): The OpenTelemetry trace id of the request (W3C Trace Context, 32 lowercase hex digits):
                the trace to look up in the tracing backend. Present only when the server exports traces
                (`OTEL_EXPORTER_OTLP_ENDPOINT`) and this request's trace is sampled; absent when tracing is off or the trace was
                sampled out. Example: 4bf92f3577b34da6a3ce929d0e0e4736.
    """

    type_: str
    title: str
    status: int
    code: str
    request_id: str
    detail: None | str | Unset = UNSET
    instance: None | str | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
    trace_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        code = self.code

        request_id = self.request_id

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        instance: None | str | Unset
        if isinstance(self.instance, Unset):
            instance = UNSET
        else:
            instance = self.instance

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        trace_id = self.trace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "code": code,
                "request_id": request_id,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if instance is not UNSET:
            field_dict["instance"] = instance
        if errors is not UNSET:
            field_dict["errors"] = errors
        if trace_id is not UNSET:
            field_dict["trace_id"] = trace_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        code = d.pop("code")

        request_id = d.pop("request_id")

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        def _parse_instance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance = _parse_instance(d.pop("instance", UNSET))

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        trace_id = d.pop("trace_id", UNSET)

        problem = cls(
            type_=type_,
            title=title,
            status=status,
            code=code,
            request_id=request_id,
            detail=detail,
            instance=instance,
            errors=errors,
            trace_id=trace_id,
        )

        problem.additional_properties = d
        return problem

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
