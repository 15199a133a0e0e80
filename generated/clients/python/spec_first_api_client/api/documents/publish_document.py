from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.document_envelope import DocumentEnvelope
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    document_id: int,
    *,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/documents/{document_id}/publish".format(
            document_id=quote(str(document_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = DocumentEnvelope.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
) -> Response[DocumentEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    document_id: int,
    *,
    client: AuthenticatedClient | Client,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[DocumentEnvelope | Problem]:
    """Publish a draft

     A `draft` becomes `published` (visible to every authenticated user; `published_at` is set). From any
    other status: 409 `invalid_transition`.

    Args:
        document_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        if_match=if_match,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    document_id: int,
    *,
    client: AuthenticatedClient | Client,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> DocumentEnvelope | Problem | None:
    """Publish a draft

     A `draft` becomes `published` (visible to every authenticated user; `published_at` is set). From any
    other status: 409 `invalid_transition`.

    Args:
        document_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentEnvelope | Problem
    """

    return sync_detailed(
        document_id=document_id,
        client=client,
        if_match=if_match,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    document_id: int,
    *,
    client: AuthenticatedClient | Client,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[DocumentEnvelope | Problem]:
    """Publish a draft

     A `draft` becomes `published` (visible to every authenticated user; `published_at` is set). From any
    other status: 409 `invalid_transition`.

    Args:
        document_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        if_match=if_match,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    document_id: int,
    *,
    client: AuthenticatedClient | Client,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> DocumentEnvelope | Problem | None:
    """Publish a draft

     A `draft` becomes `published` (visible to every authenticated user; `published_at` is set). From any
    other status: 409 `invalid_transition`.

    Args:
        document_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            document_id=document_id,
            client=client,
            if_match=if_match,
            api_version=api_version,
        )
    ).parsed
