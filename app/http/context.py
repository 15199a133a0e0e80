"""The typed request context handlers use: the caller, the services, the unit of work and
the client address, each got the same way in every handler.

`install()` adds Flask hooks: before each request, a context with a fresh unit of work is
created, and for a secured operation the caller is authenticated (the I/O half: revocation,
account, session stamp, API key row) and authorized against the spec's `x-roles`; after it,
the unit of work is closed, returning any connection to the pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import flask

from app.auth import api_keys
from app.auth.principal import Principal
from app.auth.rbac import RoleTable, authorize
from app.errors import AuthenticationError
from app.http import connexion_compat
from app.http.security import api_key_of, claims_of
from app.infra.db import UnitOfWork
from app.services.container import Services

_G_KEY = "request_context"


@dataclass
class RequestContext:
    services: Services
    uow: UnitOfWork
    client: str
    principal: Principal | None = None


def current() -> RequestContext:
    ctx: RequestContext = getattr(flask.g, _G_KEY)
    return ctx


def current_principal() -> Principal:
    """The authenticated caller (secured operations only)."""
    principal = current().principal
    if principal is None:
        raise AuthenticationError(
            "not_authenticated", "Credentials are required.", invalid_token=False
        )
    return principal


def services() -> Services:
    return current().services


def unit_of_work() -> UnitOfWork:
    return current().uow


def client_address() -> str:
    """The client's address as the server resolved it (proxies per TRUSTED_PROXIES)."""
    return current().client


def _authenticate(ctx: RequestContext, roles: RoleTable) -> None:
    info = connexion_compat.current_token_info()
    if info is None:
        return
    claims, key = claims_of(info), api_key_of(info)
    if claims is not None:
        ctx.principal = ctx.services.auth.authenticate_bearer(ctx.uow, claims)
    elif key is not None:
        ctx.principal = api_keys.authenticate_api_key(ctx.uow, key)
    if ctx.principal is not None:
        authorize(roles, connexion_compat.current_operation_id(), ctx.principal.role)


def install(flask_app: flask.Flask, services_: Services, roles: RoleTable) -> None:
    """Open a context per request (authenticating the caller) and close it afterwards."""

    def begin() -> None:
        ctx = RequestContext(
            services=services_,
            uow=services_.db.unit_of_work(),
            client=flask.request.remote_addr or "unknown",
        )
        setattr(flask.g, _G_KEY, ctx)
        _authenticate(ctx, roles)

    def end(_exc: BaseException | None = None) -> None:
        ctx: RequestContext | None = flask.g.pop(_G_KEY, None)
        if ctx is not None:
            ctx.uow.close()

    flask_app.before_request(begin)
    flask_app.teardown_request(end)
