from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admin_user_update_request import AdminUserUpdateRequest
from ...models.problem import Problem
from ...models.user_envelope import UserEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_id: int,
    *,
    body: AdminUserUpdateRequest,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/users/{user_id}".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UserEnvelope | None:
    if response.status_code == 200:
        response_200 = UserEnvelope.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | UserEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: AdminUserUpdateRequest,
    api_version: str | Unset = UNSET,
) -> Response[Problem | UserEnvelope]:
    """Change a user's role or active flag (admin)

     Sets `role` and/or `is_active`. Demoting or deactivating the last active admin gives
    409 `last_admin`.

    Args:
        user_id (int):
        api_version (str | Unset):  Example: 1.0.0.
        body (AdminUserUpdateRequest):  Example: {'role': 'readonly', 'is_active': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserEnvelope]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: AdminUserUpdateRequest,
    api_version: str | Unset = UNSET,
) -> Problem | UserEnvelope | None:
    """Change a user's role or active flag (admin)

     Sets `role` and/or `is_active`. Demoting or deactivating the last active admin gives
    409 `last_admin`.

    Args:
        user_id (int):
        api_version (str | Unset):  Example: 1.0.0.
        body (AdminUserUpdateRequest):  Example: {'role': 'readonly', 'is_active': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserEnvelope
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: AdminUserUpdateRequest,
    api_version: str | Unset = UNSET,
) -> Response[Problem | UserEnvelope]:
    """Change a user's role or active flag (admin)

     Sets `role` and/or `is_active`. Demoting or deactivating the last active admin gives
    409 `last_admin`.

    Args:
        user_id (int):
        api_version (str | Unset):  Example: 1.0.0.
        body (AdminUserUpdateRequest):  Example: {'role': 'readonly', 'is_active': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserEnvelope]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: AdminUserUpdateRequest,
    api_version: str | Unset = UNSET,
) -> Problem | UserEnvelope | None:
    """Change a user's role or active flag (admin)

     Sets `role` and/or `is_active`. Demoting or deactivating the last active admin gives
    409 `last_admin`.

    Args:
        user_id (int):
        api_version (str | Unset):  Example: 1.0.0.
        body (AdminUserUpdateRequest):  Example: {'role': 'readonly', 'is_active': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserEnvelope
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
