"""Handlers for the `users` tag: the caller's account and user administration."""

from __future__ import annotations

from typing import Any, Literal

from connexion import NoContent

from app.core.envelope import HandlerResponse, respond
from app.core.parsing import parse_body
from app.core.resources import current_resources, request_session
from app.core.security.principal import Principal
from app.services import users
from generated import models as api


def _user_out(user: Any) -> api.User:
    return api.User.model_validate(user, from_attributes=True)


def _me(token_info: dict[str, Any]) -> Any:
    return users.get_user(request_session(), Principal.from_token_info(token_info).user_id)


def get_me(token_info: dict[str, Any]) -> HandlerResponse:
    return respond(api.UserEnvelope, _user_out(_me(token_info)))


def update_me(body: dict[str, Any], token_info: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.UpdateMeRequest, body)
    user = users.update_profile(
        request_session(),
        current_resources().auth.passwords,
        _me(token_info),
        full_name=req.full_name,
        password=req.password,
        current_password=req.current_password,
    )
    return respond(api.UserEnvelope, _user_out(user), message="Account updated")


def list_users(
    *,
    page: int = 1,
    size: int = 20,
    sort: str = "id",
    order: Literal["asc", "desc"] = "desc",
    role: str | None = None,
    is_active: bool | None = None,
) -> HandlerResponse:
    result = users.list_users(
        request_session(),
        page=page,
        size=size,
        sort=sort,
        order=order,
        role=role,
        is_active=is_active,
    )
    items = [_user_out(u) for u in result.items]
    return respond(api.UserPageEnvelope, result.as_data(items))


def get_user(user_id: int) -> HandlerResponse:
    return respond(api.UserEnvelope, _user_out(users.get_user(request_session(), user_id)))


def update_user(user_id: int, body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.AdminUserUpdateRequest, body)
    user = users.admin_update(request_session(), user_id, role=req.role, is_active=req.is_active)
    return respond(api.UserEnvelope, _user_out(user), message="User updated")


def delete_user(user_id: int) -> tuple[Any, int]:
    users.delete_user(request_session(), user_id)
    return NoContent, 204
