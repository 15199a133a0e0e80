from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_page_envelope import ApiKeyPageEnvelope
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    size: int | Unset = 20,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    params: dict[str, Any] = {}

    params["page"] = page

    params["size"] = size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/auth/api-keys",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKeyPageEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = ApiKeyPageEnvelope.from_dict(response.json())

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
) -> Response[ApiKeyPageEnvelope | Problem]:
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
    api_version: str | Unset = UNSET,
) -> Response[ApiKeyPageEnvelope | Problem]:
    """List the caller's API keys

     The caller's keys that are not revoked, newest first (pagination links in the `Link` header).
    Secrets are never returned.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
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
    api_version: str | Unset = UNSET,
) -> ApiKeyPageEnvelope | Problem | None:
    """List the caller's API keys

     The caller's keys that are not revoked, newest first (pagination links in the `Link` header).
    Secrets are never returned.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyPageEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        page=page,
        size=size,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    api_version: str | Unset = UNSET,
) -> Response[ApiKeyPageEnvelope | Problem]:
    """List the caller's API keys

     The caller's keys that are not revoked, newest first (pagination links in the `Link` header).
    Secrets are never returned.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    api_version: str | Unset = UNSET,
) -> ApiKeyPageEnvelope | Problem | None:
    """List the caller's API keys

     The caller's keys that are not revoked, newest first (pagination links in the `Link` header).
    Secrets are never returned.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyPageEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            size=size,
            api_version=api_version,
        )
    ).parsed
