from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_envelope import JobEnvelope
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: int,
    *,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ai/jobs/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JobEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = JobEnvelope.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[JobEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> Response[JobEnvelope | Problem]:
    """One job

     The job's state (`queued`, `running`, `succeeded`, `failed`, `cancelled`), its
    `result` (`succeeded`: the `Completion` or `RecipeGeneration` the synchronous request
    returns as `data`, with its `warnings`) or its `problem` (`failed`), and timestamps.
    Someone else's job is a 404 like a missing one, unless the caller is `admin` or
    `readonly`.

    Args:
        job_id (int):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> JobEnvelope | Problem | None:
    """One job

     The job's state (`queued`, `running`, `succeeded`, `failed`, `cancelled`), its
    `result` (`succeeded`: the `Completion` or `RecipeGeneration` the synchronous request
    returns as `data`, with its `warnings`) or its `problem` (`failed`), and timestamps.
    Someone else's job is a 404 like a missing one, unless the caller is `admin` or
    `readonly`.

    Args:
        job_id (int):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobEnvelope | Problem
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> Response[JobEnvelope | Problem]:
    """One job

     The job's state (`queued`, `running`, `succeeded`, `failed`, `cancelled`), its
    `result` (`succeeded`: the `Completion` or `RecipeGeneration` the synchronous request
    returns as `data`, with its `warnings`) or its `problem` (`failed`), and timestamps.
    Someone else's job is a 404 like a missing one, unless the caller is `admin` or
    `readonly`.

    Args:
        job_id (int):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: int,
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> JobEnvelope | Problem | None:
    """One job

     The job's state (`queued`, `running`, `succeeded`, `failed`, `cancelled`), its
    `result` (`succeeded`: the `Completion` or `RecipeGeneration` the synchronous request
    returns as `data`, with its `warnings`) or its `problem` (`failed`), and timestamps.
    Someone else's job is a 404 like a missing one, unless the caller is `admin` or
    `readonly`.

    Args:
        job_id (int):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            api_version=api_version,
        )
    ).parsed
