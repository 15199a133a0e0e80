from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_kind import JobKind
from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_completion_request import JobCompletionRequest
    from ..models.job_recipe_request import JobRecipeRequest
    from ..models.job_result_type_0 import JobResultType0
    from ..models.problem import Problem
    from ..models.warning import Warning_


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """An async completion or recipe and where it stands. `result` is set once it
    `succeeded` (null before and otherwise); `problem` (absent unless it `failed`) is the
    problem the synchronous request would have answered with.

        Example:
            {'id': 12, 'owner_id': 3, 'kind': 'completion', 'status': 'queued', 'request': {'kind': 'completion',
                'completion': {'prompt': 'Say hello.'}}, 'result': None, 'warnings': [], 'attempts': 0, 'request_id':
                '9f1c2d3e4b5a46789abc0def12345678', 'created_at': '2026-11-30T10:00:00Z', 'started_at': None, 'finished_at':
                None}

        Attributes:
            id (int):  Example: 12.
            owner_id (int):  Example: 3.
            kind (JobKind): What the job runs: `completion` (`POST /ai/completions`) or `recipe` (`POST /recipes/generate`).
                Example: completion.
            status (JobStatus): `queued` (waiting for a worker), `running`, then one of `succeeded` (`result` set),
                `failed` (`problem` set) or `cancelled`. A job whose worker died goes back to
                `queued` for another attempt, up to `JOBS_MAX_ATTEMPTS`.
                 Example: succeeded.
            request (JobCompletionRequest | JobRecipeRequest): A completion or a recipe request, named by `kind`. Example:
                {'kind': 'completion', 'completion': {'prompt': 'Summarise the water cycle.'}}.
            result (JobResultType0 | None): `kind: completion`: a `Completion`; `kind: recipe`: a `RecipeGeneration`.
                Example: {'provider': 'fake', 'model': 'fake-1', 'text': 'Hello.', 'object': None, 'response_schema': None,
                'finish_reason': 'stop', 'usage': {'prompt_tokens': 1, 'completion_tokens': 1, 'total_tokens': 2}, 'cost_usd':
                '0.000000', 'latency_ms': 0, 'attempts': 1, 'cached': False}.
            warnings (list[Warning_]): The result's warnings (as the synchronous request's envelope has them).
            attempts (int): Times a worker started it (more than 1 after a worker died). Example: 1.
            request_id (None | str): The id of the request that created it (also on its usage rows). Example:
                9f1c2d3e4b5a46789abc0def12345678.
            created_at (datetime.datetime):  Example: 2026-11-30T10:00:00Z.
            started_at (datetime.datetime | None): When the latest attempt started. Example: 2026-11-30T10:00:01Z.
            finished_at (datetime.datetime | None):  Example: 2026-11-30T10:00:02Z.
            problem (Problem | Unset): RFC 9457 problem details, extended with a stable `code`, field `errors`, `request_id`
                and
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

    id: int
    owner_id: int
    kind: JobKind
    status: JobStatus
    request: JobCompletionRequest | JobRecipeRequest
    result: JobResultType0 | None
    warnings: list[Warning_]
    attempts: int
    request_id: None | str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    problem: Problem | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_completion_request import JobCompletionRequest  # noqa: PLC0415
        from ..models.job_result_type_0 import JobResultType0  # noqa: PLC0415

        id = self.id

        owner_id = self.owner_id

        kind = self.kind.value

        status = self.status.value

        request: dict[str, Any]
        if isinstance(self.request, JobCompletionRequest):
            request = self.request.to_dict()
        else:
            request = self.request.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, JobResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        attempts = self.attempts

        request_id: None | str
        request_id = self.request_id

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        problem: dict[str, Any] | Unset = UNSET
        if not isinstance(self.problem, Unset):
            problem = self.problem.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "owner_id": owner_id,
                "kind": kind,
                "status": status,
                "request": request,
                "result": result,
                "warnings": warnings,
                "attempts": attempts,
                "request_id": request_id,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
            }
        )
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_completion_request import JobCompletionRequest  # noqa: PLC0415
        from ..models.job_recipe_request import JobRecipeRequest  # noqa: PLC0415
        from ..models.job_result_type_0 import JobResultType0  # noqa: PLC0415
        from ..models.problem import Problem  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        owner_id = d.pop("owner_id")

        kind = JobKind(d.pop("kind"))

        status = JobStatus(d.pop("status"))

        def _parse_request(data: object) -> JobCompletionRequest | JobRecipeRequest:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_request_type_0 = JobCompletionRequest.from_dict(data)

                return componentsschemas_job_request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_job_request_type_1 = JobRecipeRequest.from_dict(data)

            return componentsschemas_job_request_type_1

        request = _parse_request(d.pop("request"))

        def _parse_result(data: object) -> JobResultType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = JobResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobResultType0 | None, data)

        result = _parse_result(d.pop("result"))

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        attempts = d.pop("attempts")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        _problem = d.pop("problem", UNSET)
        problem: Problem | Unset
        if isinstance(_problem, Unset):
            problem = UNSET
        else:
            problem = Problem.from_dict(_problem)

        job = cls(
            id=id,
            owner_id=owner_id,
            kind=kind,
            status=status,
            request=request,
            result=result,
            warnings=warnings,
            attempts=attempts,
            request_id=request_id,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            problem=problem,
        )

        job.additional_properties = d
        return job

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
