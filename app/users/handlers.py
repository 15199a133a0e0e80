"""Handlers for the `users` tag: the caller's account and user administration."""

from __future__ import annotations

from typing import Any

from connexion import NoContent

from app.accounts.models import Role
from app.audit.current import audit_trail
from app.auth.mapping import tokens_out
from app.auth.service import AuthService
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import (
    client_address,
    current_principal,
    get,
    unit_of_work,
)
from app.http.pages import list_query, page_response
from app.http.parsing import parse_body, revealed
from app.infra.cache import Cache
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


def list_users(**query: Any) -> HandlerResponse:
    page, filters = list_query(query, "role", "is_active")
    result = users.list_users(unit_of_work(), page, **filters)
    return page_response(api.UserPageEnvelope, result, user_out)


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
