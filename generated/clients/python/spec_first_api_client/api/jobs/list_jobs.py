from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_kind import JobKind
from ...models.job_page_envelope import JobPageEnvelope
from ...models.job_status import JobStatus
from ...models.list_jobs_order import ListJobsOrder
from ...models.list_jobs_sort import ListJobsSort
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListJobsSort | Unset = ListJobsSort.CREATED_AT,
    order: ListJobsOrder | Unset = ListJobsOrder.DESC,
    status: JobStatus | Unset = UNSET,
    kind: JobKind | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    params: dict[str, Any] = {}

    params["page"] = page

    params["size"] = size

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["owner_id"] = owner_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ai/jobs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JobPageEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = JobPageEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[JobPageEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListJobsSort | Unset = ListJobsSort.CREATED_AT,
    order: ListJobsOrder | Unset = ListJobsOrder.DESC,
    status: JobStatus | Unset = UNSET,
    kind: JobKind | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[JobPageEnvelope | Problem]:
    """List jobs

     A page of the jobs the caller may see, newest first by default: a `user` sees their
    own; `admin` and `readonly` (auditors) see everyone's and may filter by `owner_id`.
    Pagination links are in `Link`.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListJobsSort | Unset):  Default: ListJobsSort.CREATED_AT.
        order (ListJobsOrder | Unset):  Default: ListJobsOrder.DESC.
        status (JobStatus | Unset): `queued` (waiting for a worker), `running`, then one of
            `succeeded` (`result` set),
            `failed` (`problem` set) or `cancelled`. A job whose worker died goes back to
            `queued` for another attempt, up to `JOBS_MAX_ATTEMPTS`.
             Example: succeeded.
        kind (JobKind | Unset): What the job runs: `completion` (`POST /ai/completions`) or
            `recipe` (`POST /recipes/generate`). Example: completion.
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        sort=sort,
        order=order,
        status=status,
        kind=kind,
        owner_id=owner_id,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListJobsSort | Unset = ListJobsSort.CREATED_AT,
    order: ListJobsOrder | Unset = ListJobsOrder.DESC,
    status: JobStatus | Unset = UNSET,
    kind: JobKind | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> JobPageEnvelope | Problem | None:
    """List jobs

     A page of the jobs the caller may see, newest first by default: a `user` sees their
    own; `admin` and `readonly` (auditors) see everyone's and may filter by `owner_id`.
    Pagination links are in `Link`.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListJobsSort | Unset):  Default: ListJobsSort.CREATED_AT.
        order (ListJobsOrder | Unset):  Default: ListJobsOrder.DESC.
        status (JobStatus | Unset): `queued` (waiting for a worker), `running`, then one of
            `succeeded` (`result` set),
            `failed` (`problem` set) or `cancelled`. A job whose worker died goes back to
            `queued` for another attempt, up to `JOBS_MAX_ATTEMPTS`.
             Example: succeeded.
        kind (JobKind | Unset): What the job runs: `completion` (`POST /ai/completions`) or
            `recipe` (`POST /recipes/generate`). Example: completion.
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPageEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        page=page,
        size=size,
        sort=sort,
        order=order,
        status=status,
        kind=kind,
        owner_id=owner_id,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListJobsSort | Unset = ListJobsSort.CREATED_AT,
    order: ListJobsOrder | Unset = ListJobsOrder.DESC,
    status: JobStatus | Unset = UNSET,
    kind: JobKind | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[JobPageEnvelope | Problem]:
    """List jobs

     A page of the jobs the caller may see, newest first by default: a `user` sees their
    own; `admin` and `readonly` (auditors) see everyone's and may filter by `owner_id`.
    Pagination links are in `Link`.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListJobsSort | Unset):  Default: ListJobsSort.CREATED_AT.
        order (ListJobsOrder | Unset):  Default: ListJobsOrder.DESC.
        status (JobStatus | Unset): `queued` (waiting for a worker), `running`, then one of
            `succeeded` (`result` set),
            `failed` (`problem` set) or `cancelled`. A job whose worker died goes back to
            `queued` for another attempt, up to `JOBS_MAX_ATTEMPTS`.
             Example: succeeded.
        kind (JobKind | Unset): What the job runs: `completion` (`POST /ai/completions`) or
            `recipe` (`POST /recipes/generate`). Example: completion.
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        sort=sort,
        order=order,
        status=status,
        kind=kind,
        owner_id=owner_id,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListJobsSort | Unset = ListJobsSort.CREATED_AT,
    order: ListJobsOrder | Unset = ListJobsOrder.DESC,
    status: JobStatus | Unset = UNSET,
    kind: JobKind | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> JobPageEnvelope | Problem | None:
    """List jobs

     A page of the jobs the caller may see, newest first by default: a `user` sees their
    own; `admin` and `readonly` (auditors) see everyone's and may filter by `owner_id`.
    Pagination links are in `Link`.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListJobsSort | Unset):  Default: ListJobsSort.CREATED_AT.
        order (ListJobsOrder | Unset):  Default: ListJobsOrder.DESC.
        status (JobStatus | Unset): `queued` (waiting for a worker), `running`, then one of
            `succeeded` (`result` set),
            `failed` (`problem` set) or `cancelled`. A job whose worker died goes back to
            `queued` for another attempt, up to `JOBS_MAX_ATTEMPTS`.
             Example: succeeded.
        kind (JobKind | Unset): What the job runs: `completion` (`POST /ai/completions`) or
            `recipe` (`POST /recipes/generate`). Example: completion.
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPageEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            size=size,
            sort=sort,
            order=order,
            status=status,
            kind=kind,
            owner_id=owner_id,
            api_version=api_version,
        )
    ).parsed
