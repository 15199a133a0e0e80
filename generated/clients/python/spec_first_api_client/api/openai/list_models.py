from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.model_list import ModelList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/openai/models",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ModelList | Problem | None:
    if response.status_code == 200:
        response_200 = ModelList.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ModelList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> Response[ModelList | Problem]:
    """Models, OpenAI-compatible

     OpenAI's `GET /models`: the models this server allows (the default model first, then
    `AI_ALLOWED_MODELS`). An id is the model's name, or `provider/model` where two
    providers serve the same name.

    Args:
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelList | Problem]
    """

    kwargs = _get_kwargs(
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> ModelList | Problem | None:
    """Models, OpenAI-compatible

     OpenAI's `GET /models`: the models this server allows (the default model first, then
    `AI_ALLOWED_MODELS`). An id is the model's name, or `provider/model` where two
    providers serve the same name.

    Args:
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelList | Problem
    """

    return sync_detailed(
        client=client,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> Response[ModelList | Problem]:
    """Models, OpenAI-compatible

     OpenAI's `GET /models`: the models this server allows (the default model first, then
    `AI_ALLOWED_MODELS`). An id is the model's name, or `provider/model` where two
    providers serve the same name.

    Args:
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelList | Problem]
    """

    kwargs = _get_kwargs(
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    api_version: str | Unset = UNSET,
) -> ModelList | Problem | None:
    """Models, OpenAI-compatible

     OpenAI's `GET /models`: the models this server allows (the default model first, then
    `AI_ALLOWED_MODELS`). An id is the model's name, or `provider/model` where two
    providers serve the same name.

    Args:
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            api_version=api_version,
        )
    ).parsed
