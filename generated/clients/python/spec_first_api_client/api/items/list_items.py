import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.item_page_envelope import ItemPageEnvelope
from ...models.list_items_order import ListItemsOrder
from ...models.list_items_sort import ListItemsSort
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListItemsSort | Unset = ListItemsSort.CREATED_AT,
    order: ListItemsOrder | Unset = ListItemsOrder.DESC,
    q: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    params: dict[str, Any] = {}

    params["page"] = page

    params["size"] = size

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["q"] = q

    params["tag"] = tag

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["owner_id"] = owner_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/items",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ItemPageEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = ItemPageEnvelope.from_dict(response.json())

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
) -> Response[ItemPageEnvelope | Problem]:
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
    sort: ListItemsSort | Unset = ListItemsSort.CREATED_AT,
    order: ListItemsOrder | Unset = ListItemsOrder.DESC,
    q: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[ItemPageEnvelope | Problem]:
    """List items

     A page of the items the caller may see: a `user` sees their own; `admin` and `readonly`
    (the auditor role) see everyone's and may filter by `owner_id`. `q` searches the name.
    Pagination links are in the `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListItemsSort | Unset):  Default: ListItemsSort.CREATED_AT.
        order (ListItemsOrder | Unset):  Default: ListItemsOrder.DESC.
        q (str | Unset):
        tag (str | Unset): A lowercase slug (letters, digits, `_`, `-`), 1-32 characters. Example:
            blue.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ItemPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        sort=sort,
        order=order,
        q=q,
        tag=tag,
        created_after=created_after,
        created_before=created_before,
        owner_id=owner_id,
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
    sort: ListItemsSort | Unset = ListItemsSort.CREATED_AT,
    order: ListItemsOrder | Unset = ListItemsOrder.DESC,
    q: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> ItemPageEnvelope | Problem | None:
    """List items

     A page of the items the caller may see: a `user` sees their own; `admin` and `readonly`
    (the auditor role) see everyone's and may filter by `owner_id`. `q` searches the name.
    Pagination links are in the `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListItemsSort | Unset):  Default: ListItemsSort.CREATED_AT.
        order (ListItemsOrder | Unset):  Default: ListItemsOrder.DESC.
        q (str | Unset):
        tag (str | Unset): A lowercase slug (letters, digits, `_`, `-`), 1-32 characters. Example:
            blue.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ItemPageEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        page=page,
        size=size,
        sort=sort,
        order=order,
        q=q,
        tag=tag,
        created_after=created_after,
        created_before=created_before,
        owner_id=owner_id,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListItemsSort | Unset = ListItemsSort.CREATED_AT,
    order: ListItemsOrder | Unset = ListItemsOrder.DESC,
    q: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[ItemPageEnvelope | Problem]:
    """List items

     A page of the items the caller may see: a `user` sees their own; `admin` and `readonly`
    (the auditor role) see everyone's and may filter by `owner_id`. `q` searches the name.
    Pagination links are in the `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListItemsSort | Unset):  Default: ListItemsSort.CREATED_AT.
        order (ListItemsOrder | Unset):  Default: ListItemsOrder.DESC.
        q (str | Unset):
        tag (str | Unset): A lowercase slug (letters, digits, `_`, `-`), 1-32 characters. Example:
            blue.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ItemPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        sort=sort,
        order=order,
        q=q,
        tag=tag,
        created_after=created_after,
        created_before=created_before,
        owner_id=owner_id,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListItemsSort | Unset = ListItemsSort.CREATED_AT,
    order: ListItemsOrder | Unset = ListItemsOrder.DESC,
    q: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    owner_id: int | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> ItemPageEnvelope | Problem | None:
    """List items

     A page of the items the caller may see: a `user` sees their own; `admin` and `readonly`
    (the auditor role) see everyone's and may filter by `owner_id`. `q` searches the name.
    Pagination links are in the `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListItemsSort | Unset):  Default: ListItemsSort.CREATED_AT.
        order (ListItemsOrder | Unset):  Default: ListItemsOrder.DESC.
        q (str | Unset):
        tag (str | Unset): A lowercase slug (letters, digits, `_`, `-`), 1-32 characters. Example:
            blue.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        owner_id (int | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ItemPageEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            size=size,
            sort=sort,
            order=order,
            q=q,
            tag=tag,
            created_after=created_after,
            created_before=created_before,
            owner_id=owner_id,
            api_version=api_version,
        )
    ).parsed
