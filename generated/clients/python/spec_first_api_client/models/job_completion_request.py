from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.job_completion_request_kind import JobCompletionRequestKind

T = TypeVar("T", bound="JobCompletionRequest")


@_attrs_define
class JobCompletionRequest:
    """
    Example:
        {'kind': 'completion', 'completion': {'prompt': 'Summarise the water cycle.'}}

    Attributes:
        kind (JobCompletionRequestKind):  Example: completion.
        completion (Any): Either `messages` (a conversation) or `prompt` (one user message), not both; `system`
            (optional) goes before either. `provider` and `model` default to the configured ones
            and must be on the allow-list (`AI_ALLOWED_MODELS`), else 400 `unsupported_model`.
             Example: {'prompt': 'Summarise the water cycle.', 'response_schema': 'TextSummary', 'temperature': 0}.
    """

    kind: JobCompletionRequestKind
    completion: Any

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        completion: Any
        completion = self.completion

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "completion": completion,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = JobCompletionRequestKind(d.pop("kind"))

        def _parse_completion(data: object) -> Any:
            return cast(Any, data)

        completion = _parse_completion(d.pop("completion"))

        job_completion_request = cls(
            kind=kind,
            completion=completion,
        )

        return job_completion_request
