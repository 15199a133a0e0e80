from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_update_envelope import AccountUpdateEnvelope
from ...models.problem import Problem
from ...models.update_me_request import UpdateMeRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UpdateMeRequest,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/users/me",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountUpdateEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = AccountUpdateEnvelope.from_dict(response.json())

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
) -> Response[AccountUpdateEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateMeRequest,
    api_version: str | Unset = UNSET,
) -> Response[AccountUpdateEnvelope | Problem]:
    """Update the caller's name or password

     Changes `full_name` and/or `password`. Credential fields (`password`,
    `current_password`) need a login session: with an API key, 403 `session_required`
    (a leaked key cannot take the account over). A password change requires
    `current_password`, checked like a login: wrong, 422 `invalid_current_password`;
    repeated failures count against the same lockout as `POST /auth/login` (429
    `too_many_login_attempts` with `Retry-After`). A successful change is audited
    (`user.password_changed`), signs out every session (all access and refresh tokens
    stop working), revokes every API key of the account, and returns a new session for
    the caller in `data.session` (store it: the token used for this call no longer
    works). Account self-service, so every role may call it.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (UpdateMeRequest):  Example: {'password': 'a new long password', 'current_password':
            'correct horse battery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountUpdateEnvelope | Problem]
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
    body: UpdateMeRequest,
    api_version: str | Unset = UNSET,
) -> AccountUpdateEnvelope | Problem | None:
    """Update the caller's name or password

     Changes `full_name` and/or `password`. Credential fields (`password`,
    `current_password`) need a login session: with an API key, 403 `session_required`
    (a leaked key cannot take the account over). A password change requires
    `current_password`, checked like a login: wrong, 422 `invalid_current_password`;
    repeated failures count against the same lockout as `POST /auth/login` (429
    `too_many_login_attempts` with `Retry-After`). A successful change is audited
    (`user.password_changed`), signs out every session (all access and refresh tokens
    stop working), revokes every API key of the account, and returns a new session for
    the caller in `data.session` (store it: the token used for this call no longer
    works). Account self-service, so every role may call it.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (UpdateMeRequest):  Example: {'password': 'a new long password', 'current_password':
            'correct horse battery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountUpdateEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateMeRequest,
    api_version: str | Unset = UNSET,
) -> Response[AccountUpdateEnvelope | Problem]:
    """Update the caller's name or password

     Changes `full_name` and/or `password`. Credential fields (`password`,
    `current_password`) need a login session: with an API key, 403 `session_required`
    (a leaked key cannot take the account over). A password change requires
    `current_password`, checked like a login: wrong, 422 `invalid_current_password`;
    repeated failures count against the same lockout as `POST /auth/login` (429
    `too_many_login_attempts` with `Retry-After`). A successful change is audited
    (`user.password_changed`), signs out every session (all access and refresh tokens
    stop working), revokes every API key of the account, and returns a new session for
    the caller in `data.session` (store it: the token used for this call no longer
    works). Account self-service, so every role may call it.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (UpdateMeRequest):  Example: {'password': 'a new long password', 'current_password':
            'correct horse battery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountUpdateEnvelope | Problem]
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
    body: UpdateMeRequest,
    api_version: str | Unset = UNSET,
) -> AccountUpdateEnvelope | Problem | None:
    """Update the caller's name or password

     Changes `full_name` and/or `password`. Credential fields (`password`,
    `current_password`) need a login session: with an API key, 403 `session_required`
    (a leaked key cannot take the account over). A password change requires
    `current_password`, checked like a login: wrong, 422 `invalid_current_password`;
    repeated failures count against the same lockout as `POST /auth/login` (429
    `too_many_login_attempts` with `Retry-After`). A successful change is audited
    (`user.password_changed`), signs out every session (all access and refresh tokens
    stop working), revokes every API key of the account, and returns a new session for
    the caller in `data.session` (store it: the token used for this call no longer
    works). Account self-service, so every role may call it.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (UpdateMeRequest):  Example: {'password': 'a new long password', 'current_password':
            'correct horse battery'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountUpdateEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
