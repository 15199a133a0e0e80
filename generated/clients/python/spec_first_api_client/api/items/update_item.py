from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.item_envelope import ItemEnvelope
from ...models.item_update_request import ItemUpdateRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    item_id: int,
    *,
    body: ItemUpdateRequest,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/items/{item_id}".format(
            item_id=quote(str(item_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ItemEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = ItemEnvelope.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
) -> Response[ItemEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    item_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemUpdateRequest,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[ItemEnvelope | Problem]:
    """Change an item

     Changes the given fields of the caller's item (admins: of any item). With `If-Match`,
    only if the item still has that `ETag` (else 412 `precondition_failed`). Two writers
    holding the same version never both succeed.

    Args:
        item_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (ItemUpdateRequest): The fields to change; `tags` and `attributes` replace the whole
            value; `description` null clears it. Example: {'price': '11.00'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ItemEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        item_id=item_id,
        body=body,
        if_match=if_match,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    item_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemUpdateRequest,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> ItemEnvelope | Problem | None:
    """Change an item

     Changes the given fields of the caller's item (admins: of any item). With `If-Match`,
    only if the item still has that `ETag` (else 412 `precondition_failed`). Two writers
    holding the same version never both succeed.

    Args:
        item_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (ItemUpdateRequest): The fields to change; `tags` and `attributes` replace the whole
            value; `description` null clears it. Example: {'price': '11.00'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ItemEnvelope | Problem
    """

    return sync_detailed(
        item_id=item_id,
        client=client,
        body=body,
        if_match=if_match,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    item_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemUpdateRequest,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[ItemEnvelope | Problem]:
    """Change an item

     Changes the given fields of the caller's item (admins: of any item). With `If-Match`,
    only if the item still has that `ETag` (else 412 `precondition_failed`). Two writers
    holding the same version never both succeed.

    Args:
        item_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (ItemUpdateRequest): The fields to change; `tags` and `attributes` replace the whole
            value; `description` null clears it. Example: {'price': '11.00'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ItemEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        item_id=item_id,
        body=body,
        if_match=if_match,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    item_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ItemUpdateRequest,
    if_match: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> ItemEnvelope | Problem | None:
    """Change an item

     Changes the given fields of the caller's item (admins: of any item). With `If-Match`,
    only if the item still has that `ETag` (else 412 `precondition_failed`). Two writers
    holding the same version never both succeed.

    Args:
        item_id (int):
        if_match (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (ItemUpdateRequest): The fields to change; `tags` and `attributes` replace the whole
            value; `description` null clears it. Example: {'price': '11.00'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ItemEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            item_id=item_id,
            client=client,
            body=body,
            if_match=if_match,
            api_version=api_version,
        )
    ).parsed
