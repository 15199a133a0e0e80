from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ai_stats_envelope import AIStatsEnvelope
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    days: int | Unset = 30,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    params: dict[str, Any] = {}

    params["days"] = days

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ai/stats",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AIStatsEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = AIStatsEnvelope.from_dict(response.json())

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
) -> Response[AIStatsEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    days: int | Unset = 30,
    api_version: str | Unset = UNSET,
) -> Response[AIStatsEnvelope | Problem]:
    """AI statistics (admin)

     Totals over the last `days` days for everyone, per model and for the 20 heaviest users, with the
    cache hit rate and the error rate. `cost_usd` sums the known costs; `unpriced_requests` counts the
    requests whose cost is unknown (left out of the sum).

    Args:
        days (int | Unset):  Default: 30.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AIStatsEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        days=days,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    days: int | Unset = 30,
    api_version: str | Unset = UNSET,
) -> AIStatsEnvelope | Problem | None:
    """AI statistics (admin)

     Totals over the last `days` days for everyone, per model and for the 20 heaviest users, with the
    cache hit rate and the error rate. `cost_usd` sums the known costs; `unpriced_requests` counts the
    requests whose cost is unknown (left out of the sum).

    Args:
        days (int | Unset):  Default: 30.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AIStatsEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        days=days,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    days: int | Unset = 30,
    api_version: str | Unset = UNSET,
) -> Response[AIStatsEnvelope | Problem]:
    """AI statistics (admin)

     Totals over the last `days` days for everyone, per model and for the 20 heaviest users, with the
    cache hit rate and the error rate. `cost_usd` sums the known costs; `unpriced_requests` counts the
    requests whose cost is unknown (left out of the sum).

    Args:
        days (int | Unset):  Default: 30.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AIStatsEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        days=days,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    days: int | Unset = 30,
    api_version: str | Unset = UNSET,
) -> AIStatsEnvelope | Problem | None:
    """AI statistics (admin)

     Totals over the last `days` days for everyone, per model and for the 20 heaviest users, with the
    cache hit rate and the error rate. `cost_usd` sums the known costs; `unpriced_requests` counts the
    requests whose cost is unknown (left out of the sum).

    Args:
        days (int | Unset):  Default: 30.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AIStatsEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            days=days,
            api_version=api_version,
        )
    ).parsed
