"""Handlers for the `users` tag: the caller's account and user administration."""

from __future__ import annotations

from typing import Any, Literal

from connexion import NoContent

from app.accounts.models import Role
from app.audit.current import audit_trail
from app.auth.mapping import tokens_out
from app.auth.service import AuthService
from app.http.context import (
    client_address,
    current_principal,
    get,
    unit_of_work,
)
from app.http.envelope import HandlerResponse, respond
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import parse_body, query_datetime, revealed
from app.infra.cache import Cache
from app.infra.pagination import PageRequest
from app.users import service as users
from app.users.mapping import user_out
from generated import models as api

# The answer may hold a new session: never cached (RFC 6749 section 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def get_me() -> HandlerResponse:
    return respond(api.UserEnvelope, user_out(current_principal().user))


def update_me(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.UpdateMeRequest, body)
    update = users.update_profile(
        unit_of_work(),
        get(AuthService),
        current_principal(),
        full_name=req.full_name,
        password=revealed(req.password),
        current_password=revealed(req.current_password),
        client=client_address(),
        audit=audit_trail(),
    )
    account = user_out(update.user).model_dump()
    if update.tokens is None:
        data = api.AccountUpdate(**account)
        return respond(api.AccountUpdateEnvelope, data, message="Account updated", headers=NO_STORE)
    data = api.AccountUpdate(**account, session=tokens_out(update.tokens))
    message = "Password changed; every other session and API key is revoked"
    return respond(api.AccountUpdateEnvelope, data, message=message, headers=NO_STORE)


def list_users(
    *,
    page: int = 1,
    size: int = 20,
    sort: str = "id",
    order: Literal["asc", "desc"] = "desc",
    q: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
) -> HandlerResponse:
    result = users.list_users(
        unit_of_work(),
        PageRequest(page=page, size=size, sort=sort, order=order),
        q=q,
        role=Role(role) if role is not None else None,
        is_active=is_active,
        created_after=query_datetime("created_after", created_after),
        created_before=query_datetime("created_before", created_before),
    )
    data = page_out(result, [user_out(u) for u in result.items])
    return respond(
        api.UserPageEnvelope, data, headers=link_header(page=result.page, pages=result.pages)
    )


def get_user(user_id: int) -> HandlerResponse:
    return respond(api.UserEnvelope, user_out(users.get_user(unit_of_work(), user_id)))


def update_user(user_id: int, body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.AdminUserUpdateRequest, body)
    role = Role(req.role) if req.role is not None else None
    user = users.admin_update(
        unit_of_work(),
        get(AuthService),
        user_id,
        role=role,
        is_active=req.is_active,
        audit=audit_trail(),
    )
    return respond(api.UserEnvelope, user_out(user), message="User updated")


def delete_user(user_id: int) -> tuple[Any, int]:
    users.delete_user(unit_of_work(), user_id, cache=get(Cache), audit=audit_trail())
    return NoContent, 204
