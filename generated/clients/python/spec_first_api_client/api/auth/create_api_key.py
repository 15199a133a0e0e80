from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_create_request import ApiKeyCreateRequest
from ...models.api_key_created_envelope import ApiKeyCreatedEnvelope
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ApiKeyCreateRequest,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/api-keys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKeyCreatedEnvelope | Problem | None:
    if response.status_code == 201:
        response_201 = ApiKeyCreatedEnvelope.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

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
) -> Response[ApiKeyCreatedEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreateRequest,
    api_version: str | Unset = UNSET,
) -> Response[ApiKeyCreatedEnvelope | Problem]:
    """Create an API key

     Creates an API key acting with the caller's role. The secret (`key`) is returned once
    and stored only as a hash; `prefix` identifies the key afterwards. Send it as `X-API-Key`.
    Account self-service, so every role may manage its own keys. Needs a login session (a
    bearer token): with an API key, 403 `session_required`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ApiKeyCreateRequest):  Example: {'name': 'nightly-import', 'expires_at':
            '2027-01-01T00:00:00Z', 'daily_usd': '2.50'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyCreatedEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreateRequest,
    api_version: str | Unset = UNSET,
) -> ApiKeyCreatedEnvelope | Problem | None:
    """Create an API key

     Creates an API key acting with the caller's role. The secret (`key`) is returned once
    and stored only as a hash; `prefix` identifies the key afterwards. Send it as `X-API-Key`.
    Account self-service, so every role may manage its own keys. Needs a login session (a
    bearer token): with an API key, 403 `session_required`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ApiKeyCreateRequest):  Example: {'name': 'nightly-import', 'expires_at':
            '2027-01-01T00:00:00Z', 'daily_usd': '2.50'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyCreatedEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreateRequest,
    api_version: str | Unset = UNSET,
) -> Response[ApiKeyCreatedEnvelope | Problem]:
    """Create an API key

     Creates an API key acting with the caller's role. The secret (`key`) is returned once
    and stored only as a hash; `prefix` identifies the key afterwards. Send it as `X-API-Key`.
    Account self-service, so every role may manage its own keys. Needs a login session (a
    bearer token): with an API key, 403 `session_required`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ApiKeyCreateRequest):  Example: {'name': 'nightly-import', 'expires_at':
            '2027-01-01T00:00:00Z', 'daily_usd': '2.50'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyCreatedEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreateRequest,
    api_version: str | Unset = UNSET,
) -> ApiKeyCreatedEnvelope | Problem | None:
    """Create an API key

     Creates an API key acting with the caller's role. The secret (`key`) is returned once
    and stored only as a hash; `prefix` identifies the key afterwards. Send it as `X-API-Key`.
    Account self-service, so every role may manage its own keys. Needs a login session (a
    bearer token): with an API key, 403 `session_required`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ApiKeyCreateRequest):  Example: {'name': 'nightly-import', 'expires_at':
            '2027-01-01T00:00:00Z', 'daily_usd': '2.50'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyCreatedEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
