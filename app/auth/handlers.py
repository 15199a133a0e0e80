"""Handlers for the `auth` tag: register, login, refresh, logout, API keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from connexion import NoContent

from app.audit.current import audit_trail
from app.auth import api_keys
from app.auth.mapping import api_key_out, tokens_out
from app.auth.service import AuthService
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import (
    client_address,
    current_principal,
    get,
    unit_of_work,
)
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import parse_body
from app.users import service as users
from app.users.mapping import user_out
from generated import models as api

# Token responses must never be cached (RFC 6749 section 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def register(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.RegisterRequest, body)
    auth = get(AuthService)
    auth.throttle.attempt_registration(client=client_address())
    user = users.create_user(
        unit_of_work(),
        auth,
        email=req.email,
        password=req.password.get_secret_value(),
        full_name=req.full_name,
    )
    return respond(api.UserEnvelope, user_out(user), status=201, message="Account created")


def login(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.LoginRequest, body)
    tokens = get(AuthService).login(
        unit_of_work(),
        email=req.email,
        password=req.password.get_secret_value(),
        client=client_address(),
        audit=audit_trail(),
    )
    return respond(api.TokenPairEnvelope, tokens_out(tokens), message="Logged in", headers=NO_STORE)


def refresh(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.RefreshRequest, body)
    tokens = get(AuthService).refresh(
        unit_of_work(), refresh_token=req.refresh_token.get_secret_value(), audit=audit_trail()
    )
    return respond(
        api.TokenPairEnvelope, tokens_out(tokens), message="Tokens refreshed", headers=NO_STORE
    )


def logout() -> tuple[Any, int]:
    get(AuthService).logout(unit_of_work(), current_principal())
    return NoContent, 204


def create_api_key(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.ApiKeyCreateRequest, body)
    created = api_keys.create_key(
        unit_of_work(),
        current_principal(),
        name=req.name,
        expires_at=req.expires_at,
        audit=audit_trail(),
        daily_usd=Decimal(req.daily_usd) if req.daily_usd is not None else None,
    )
    data = api.ApiKeyCreated(**api_key_out(created.key).model_dump(), key=created.secret)
    message = "API key created; store the secret now, it is not shown again"
    return respond(api.ApiKeyCreatedEnvelope, data, status=201, message=message, headers=NO_STORE)


def list_api_keys(page: int = 1, size: int = 20) -> HandlerResponse:
    result = api_keys.list_keys(unit_of_work(), current_principal(), page=page, size=size)
    items = [api_key_out(k) for k in result.items]
    links = link_header(page=result.page, pages=result.pages)
    return respond(api.ApiKeyPageEnvelope, page_out(result, items), headers=links)


def revoke_api_key(key_id: int) -> tuple[Any, int]:
    api_keys.revoke_key(
        unit_of_work(),
        current_principal(),
        key_id=key_id,
        audit=audit_trail(),
        revocations=get(AuthService).revocations,
    )
    return NoContent, 204
