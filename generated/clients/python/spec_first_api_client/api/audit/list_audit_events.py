import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_action import AuditAction
from ...models.audit_event_page_envelope import AuditEventPageEnvelope
from ...models.list_audit_events_order import ListAuditEventsOrder
from ...models.list_audit_events_sort import ListAuditEventsSort
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListAuditEventsSort | Unset = ListAuditEventsSort.OCCURRED_AT,
    order: ListAuditEventsOrder | Unset = ListAuditEventsOrder.DESC,
    actor_id: int | Unset = UNSET,
    action: AuditAction | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
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

    params["actor_id"] = actor_id

    json_action: str | Unset = UNSET
    if not isinstance(action, Unset):
        json_action = action.value

    params["action"] = json_action

    json_since: str | Unset = UNSET
    if not isinstance(since, Unset):
        json_since = since.isoformat()
    params["since"] = json_since

    json_until: str | Unset = UNSET
    if not isinstance(until, Unset):
        json_until = until.isoformat()
    params["until"] = json_until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/admin/audit",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditEventPageEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = AuditEventPageEnvelope.from_dict(response.json())

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
) -> Response[AuditEventPageEnvelope | Problem]:
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
    sort: ListAuditEventsSort | Unset = ListAuditEventsSort.OCCURRED_AT,
    order: ListAuditEventsOrder | Unset = ListAuditEventsOrder.DESC,
    actor_id: int | Unset = UNSET,
    action: AuditAction | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[AuditEventPageEnvelope | Problem]:
    """The audit trail (admin)

     A page of audit events, newest first (ties broken by `id` in the same direction):
    admin actions (role changes, deactivation, deletion, API key revocation, from the API
    or the command line) and security events (failed logins, lockouts, refresh-token
    reuse). Filter by actor, action and a time window `since <= occurred_at < until`;
    `until` before `since` is 422 `invalid_time_range`. Pagination links are in the
    `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListAuditEventsSort | Unset):  Default: ListAuditEventsSort.OCCURRED_AT.
        order (ListAuditEventsOrder | Unset):  Default: ListAuditEventsOrder.DESC.
        actor_id (int | Unset):
        action (AuditAction | Unset): What happened (a closed set). Admin actions:
            `user.role_changed` (details `from`, `to`),
            `user.deactivated`, `user.reactivated`, `user.deleted` (details `email`, `role`).
            Credential changes: `user.password_changed` (details `email`, `api_keys_revoked`: how
            many keys the change revoked), `api_key.created` (details `owner_id`, `name`,
            `prefix`, and `expires_at` for a key that expires), `api_key.revoked` (details `owner_id`,
            `name`, `prefix`).
            Security events: `auth.login_failed` (details `email`, `reason`: `invalid_credentials`,
            `user_inactive`, or `invalid_current_password` for a credential change),
            `auth.locked_out` (details `email`, `scope`: `email` or `client`, `retry_after`; once
            per lockout window, not per refused attempt), `auth.refresh_token_reused` (details
            `family_id`: the revoked login session).
             Example: user.role_changed.
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        sort=sort,
        order=order,
        actor_id=actor_id,
        action=action,
        since=since,
        until=until,
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
    sort: ListAuditEventsSort | Unset = ListAuditEventsSort.OCCURRED_AT,
    order: ListAuditEventsOrder | Unset = ListAuditEventsOrder.DESC,
    actor_id: int | Unset = UNSET,
    action: AuditAction | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> AuditEventPageEnvelope | Problem | None:
    """The audit trail (admin)

     A page of audit events, newest first (ties broken by `id` in the same direction):
    admin actions (role changes, deactivation, deletion, API key revocation, from the API
    or the command line) and security events (failed logins, lockouts, refresh-token
    reuse). Filter by actor, action and a time window `since <= occurred_at < until`;
    `until` before `since` is 422 `invalid_time_range`. Pagination links are in the
    `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListAuditEventsSort | Unset):  Default: ListAuditEventsSort.OCCURRED_AT.
        order (ListAuditEventsOrder | Unset):  Default: ListAuditEventsOrder.DESC.
        actor_id (int | Unset):
        action (AuditAction | Unset): What happened (a closed set). Admin actions:
            `user.role_changed` (details `from`, `to`),
            `user.deactivated`, `user.reactivated`, `user.deleted` (details `email`, `role`).
            Credential changes: `user.password_changed` (details `email`, `api_keys_revoked`: how
            many keys the change revoked), `api_key.created` (details `owner_id`, `name`,
            `prefix`, and `expires_at` for a key that expires), `api_key.revoked` (details `owner_id`,
            `name`, `prefix`).
            Security events: `auth.login_failed` (details `email`, `reason`: `invalid_credentials`,
            `user_inactive`, or `invalid_current_password` for a credential change),
            `auth.locked_out` (details `email`, `scope`: `email` or `client`, `retry_after`; once
            per lockout window, not per refused attempt), `auth.refresh_token_reused` (details
            `family_id`: the revoked login session).
             Example: user.role_changed.
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPageEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        page=page,
        size=size,
        sort=sort,
        order=order,
        actor_id=actor_id,
        action=action,
        since=since,
        until=until,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListAuditEventsSort | Unset = ListAuditEventsSort.OCCURRED_AT,
    order: ListAuditEventsOrder | Unset = ListAuditEventsOrder.DESC,
    actor_id: int | Unset = UNSET,
    action: AuditAction | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[AuditEventPageEnvelope | Problem]:
    """The audit trail (admin)

     A page of audit events, newest first (ties broken by `id` in the same direction):
    admin actions (role changes, deactivation, deletion, API key revocation, from the API
    or the command line) and security events (failed logins, lockouts, refresh-token
    reuse). Filter by actor, action and a time window `since <= occurred_at < until`;
    `until` before `since` is 422 `invalid_time_range`. Pagination links are in the
    `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListAuditEventsSort | Unset):  Default: ListAuditEventsSort.OCCURRED_AT.
        order (ListAuditEventsOrder | Unset):  Default: ListAuditEventsOrder.DESC.
        actor_id (int | Unset):
        action (AuditAction | Unset): What happened (a closed set). Admin actions:
            `user.role_changed` (details `from`, `to`),
            `user.deactivated`, `user.reactivated`, `user.deleted` (details `email`, `role`).
            Credential changes: `user.password_changed` (details `email`, `api_keys_revoked`: how
            many keys the change revoked), `api_key.created` (details `owner_id`, `name`,
            `prefix`, and `expires_at` for a key that expires), `api_key.revoked` (details `owner_id`,
            `name`, `prefix`).
            Security events: `auth.login_failed` (details `email`, `reason`: `invalid_credentials`,
            `user_inactive`, or `invalid_current_password` for a credential change),
            `auth.locked_out` (details `email`, `scope`: `email` or `client`, `retry_after`; once
            per lockout window, not per refused attempt), `auth.refresh_token_reused` (details
            `family_id`: the revoked login session).
             Example: user.role_changed.
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPageEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        sort=sort,
        order=order,
        actor_id=actor_id,
        action=action,
        since=since,
        until=until,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 20,
    sort: ListAuditEventsSort | Unset = ListAuditEventsSort.OCCURRED_AT,
    order: ListAuditEventsOrder | Unset = ListAuditEventsOrder.DESC,
    actor_id: int | Unset = UNSET,
    action: AuditAction | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> AuditEventPageEnvelope | Problem | None:
    """The audit trail (admin)

     A page of audit events, newest first (ties broken by `id` in the same direction):
    admin actions (role changes, deactivation, deletion, API key revocation, from the API
    or the command line) and security events (failed logins, lockouts, refresh-token
    reuse). Filter by actor, action and a time window `since <= occurred_at < until`;
    `until` before `since` is 422 `invalid_time_range`. Pagination links are in the
    `Link` header.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 20.
        sort (ListAuditEventsSort | Unset):  Default: ListAuditEventsSort.OCCURRED_AT.
        order (ListAuditEventsOrder | Unset):  Default: ListAuditEventsOrder.DESC.
        actor_id (int | Unset):
        action (AuditAction | Unset): What happened (a closed set). Admin actions:
            `user.role_changed` (details `from`, `to`),
            `user.deactivated`, `user.reactivated`, `user.deleted` (details `email`, `role`).
            Credential changes: `user.password_changed` (details `email`, `api_keys_revoked`: how
            many keys the change revoked), `api_key.created` (details `owner_id`, `name`,
            `prefix`, and `expires_at` for a key that expires), `api_key.revoked` (details `owner_id`,
            `name`, `prefix`).
            Security events: `auth.login_failed` (details `email`, `reason`: `invalid_credentials`,
            `user_inactive`, or `invalid_current_password` for a credential change),
            `auth.locked_out` (details `email`, `scope`: `email` or `client`, `retry_after`; once
            per lockout window, not per refused attempt), `auth.refresh_token_reused` (details
            `family_id`: the revoked login session).
             Example: user.role_changed.
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        api_version (str | Unset):  Example: 1.0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPageEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            size=size,
            sort=sort,
            order=order,
            actor_id=actor_id,
            action=action,
            since=since,
            until=until,
            api_version=api_version,
        )
    ).parsed
