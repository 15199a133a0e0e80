from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.register_request import RegisterRequest
from ...models.user_envelope import UserEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RegisterRequest,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/register",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UserEnvelope | None:
    if response.status_code == 201:
        response_201 = UserEnvelope.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
    *,
    client: AuthenticatedClient | Client,
    body: RegisterRequest,
    api_version: str | Unset = UNSET,
) -> Response[Problem | UserEnvelope]:
    """Create an account

     Creates a user with the role `user` (the role is never client-settable). Emails are
    unique case-insensitively. Passwords are 8-128 characters and must differ from the email.
    Registrations per client address are limited (`REGISTER_RATE_LIMIT_PER_CLIENT`): over
    the limit, 429 `rate_limited` with `Retry-After`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (RegisterRequest):  Example: {'email': 'ada@example.com', 'password': 'correct horse
            battery', 'full_name': 'Ada Lovelace'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserEnvelope]
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
    body: RegisterRequest,
    api_version: str | Unset = UNSET,
) -> Problem | UserEnvelope | None:
    """Create an account

     Creates a user with the role `user` (the role is never client-settable). Emails are
    unique case-insensitively. Passwords are 8-128 characters and must differ from the email.
    Registrations per client address are limited (`REGISTER_RATE_LIMIT_PER_CLIENT`): over
    the limit, 429 `rate_limited` with `Retry-After`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (RegisterRequest):  Example: {'email': 'ada@example.com', 'password': 'correct horse
            battery', 'full_name': 'Ada Lovelace'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegisterRequest,
    api_version: str | Unset = UNSET,
) -> Response[Problem | UserEnvelope]:
    """Create an account

     Creates a user with the role `user` (the role is never client-settable). Emails are
    unique case-insensitively. Passwords are 8-128 characters and must differ from the email.
    Registrations per client address are limited (`REGISTER_RATE_LIMIT_PER_CLIENT`): over
    the limit, 429 `rate_limited` with `Retry-After`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (RegisterRequest):  Example: {'email': 'ada@example.com', 'password': 'correct horse
            battery', 'full_name': 'Ada Lovelace'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserEnvelope]
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
    body: RegisterRequest,
    api_version: str | Unset = UNSET,
) -> Problem | UserEnvelope | None:
    """Create an account

     Creates a user with the role `user` (the role is never client-settable). Emails are
    unique case-insensitively. Passwords are 8-128 characters and must differ from the email.
    Registrations per client address are limited (`REGISTER_RATE_LIMIT_PER_CLIENT`): over
    the limit, 429 `rate_limited` with `Retry-After`.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (RegisterRequest):  Example: {'email': 'ada@example.com', 'password': 'correct horse
            battery', 'full_name': 'Ada Lovelace'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
