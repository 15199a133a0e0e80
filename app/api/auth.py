"""Handlers for the `auth` tag: register, login, refresh, logout, API keys."""

from __future__ import annotations

from typing import Any

import flask
from connexion import NoContent

from app.core.envelope import HandlerResponse, respond
from app.core.parsing import parse_body
from app.core.resources import current_resources, request_session
from app.core.security.principal import Principal
from app.services import api_keys, auth, users
from generated import models as api


def _user_out(user: Any) -> api.User:
    return api.User.model_validate(user, from_attributes=True)


def _key_out(key: Any) -> api.ApiKey:
    return api.ApiKey.model_validate(key, from_attributes=True)


def register(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.RegisterRequest, body)
    user = users.create_user(
        request_session(),
        current_resources().auth.passwords,
        email=req.email,
        password=req.password,
        full_name=req.full_name,
    )
    return respond(api.UserEnvelope, _user_out(user), status=201, message="Account created")


def login(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.LoginRequest, body)
    pair = auth.login(
        request_session(),
        current_resources().auth,
        email=req.email,
        password=req.password,
        client=flask.request.remote_addr or "unknown",
    )
    return respond(api.TokenPairEnvelope, pair, message="Logged in")


def refresh(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.RefreshRequest, body)
    pair = auth.refresh(
        request_session(), current_resources().auth, refresh_token=req.refresh_token
    )
    return respond(api.TokenPairEnvelope, pair, message="Tokens refreshed")


def logout(token_info: dict[str, Any]) -> tuple[Any, int]:
    auth.logout(request_session(), current_resources().auth, Principal.from_token_info(token_info))
    return NoContent, 204


def create_api_key(body: dict[str, Any], token_info: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.ApiKeyCreateRequest, body)
    created = api_keys.create_key(
        request_session(),
        user_id=Principal.from_token_info(token_info).user_id,
        name=req.name,
        expires_at=req.expires_at,
    )
    data = api.ApiKeyCreated(**_key_out(created.key).model_dump(), key=created.secret)
    return respond(
        api.ApiKeyCreatedEnvelope,
        data,
        status=201,
        message="API key created; store the secret now, it is not shown again",
    )


def list_api_keys(token_info: dict[str, Any], page: int = 1, size: int = 20) -> HandlerResponse:
    result = api_keys.list_keys(
        request_session(),
        user_id=Principal.from_token_info(token_info).user_id,
        page=page,
        size=size,
    )
    items = [_key_out(k) for k in result.items]
    return respond(api.ApiKeyPageEnvelope, result.as_data(items))


def revoke_api_key(key_id: int, token_info: dict[str, Any]) -> tuple[Any, int]:
    api_keys.revoke_key(
        request_session(), user_id=Principal.from_token_info(token_info).user_id, key_id=key_id
    )
    return NoContent, 204
