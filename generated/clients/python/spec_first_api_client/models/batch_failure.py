from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_failure_status import BatchFailureStatus

if TYPE_CHECKING:
    from ..models.problem import Problem


T = TypeVar("T", bound="BatchFailure")


@_attrs_define
class BatchFailure:
    """
    Example:
        {'index': 1, 'status': 'error', 'problem': {'type': '/docs/problems/ai_provider_error', 'title': 'AI provider
            failed', 'status': 502, 'detail': 'The AI provider (fake) failed (status 500).', 'code': 'ai_provider_error',
            'request_id': '9f1c2d3e4b5a46789abc0def12345678'}}

    Attributes:
        index (int):  Example: 1.
        status (BatchFailureStatus):  Example: error.
        problem (Problem): RFC 9457 problem details, extended with a stable `code`, field `errors`, `request_id` and
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
             Example: {'type': '/docs/problems/validation_error', 'title': 'Validation failed', 'status': 422, 'detail':
            'The request body does not match the schema.', 'code': 'validation_error', 'errors': [{'location': 'body',
            'field': 'name', 'message': "'name' is a required property"}], 'request_id':
            '9f1c2d3e4b5a46789abc0def12345678'}.
    """

    index: int
    status: BatchFailureStatus
    problem: Problem
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        status = self.status.value

        problem = self.problem.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "status": status,
                "problem": problem,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.problem import Problem  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        status = BatchFailureStatus(d.pop("status"))

        problem = Problem.from_dict(d.pop("problem"))

        batch_failure = cls(
            index=index,
            status=status,
            problem=problem,
        )

        batch_failure.additional_properties = d
        return batch_failure

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
