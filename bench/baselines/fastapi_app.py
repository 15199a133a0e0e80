"""FastAPI on uvicorn, the same endpoints as the Flask baseline, written the idiomatic way.

    uvicorn --factory bench.baselines.fastapi_app:create_app --workers 2

Synchronous SQLAlchemy and redis-py, so endpoints and dependencies are plain `def`
(FastAPI runs them in its thread pool); pydantic response models validate the envelopes,
as the service's generated models do.

No `from __future__ import annotations` here: FastAPI must evaluate the annotations that
name the dependencies defined inside create_app().
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, func, select

from bench.baselines import common
from bench.baselines.common import AuthFailedError


class User(BaseModel):
    id: int
    email: str
    full_name: str
    role: Literal["admin", "user", "readonly"]
    is_active: bool
    created_at: datetime
    updated_at: datetime


class UserPage(BaseModel):
    items: list[User]
    total: int
    page: int
    size: int
    pages: int


class Envelope(BaseModel):
    success: bool
    message: str
    warnings: list[dict[str, Any]]


class UserEnvelope(Envelope):
    data: User


class UserPageEnvelope(Envelope):
    data: UserPage


class Liveness(BaseModel):
    status: Literal["alive"]


class LivenessEnvelope(Envelope):
    data: Liveness


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=512)


class ForbiddenError(Exception):
    pass


def create_app() -> FastAPI:
    cfg = common.BaselineConfig.from_env()
    engine = cfg.engine()
    rds = cfg.redis()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Any:
        rid = common.request_id(request.headers.get("x-request-id"))
        request.state.request_id = rid
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        response.headers["API-Version"] = common.API_VERSION
        return response

    def problem(request: Request, status: int, title: str, code: str, detail: str) -> Any:
        body = common.problem(status, title, code, detail, request.state.request_id)
        headers = {"WWW-Authenticate": common.www_authenticate(detail)} if status == 401 else {}
        return JSONResponse(body, status, headers, media_type="application/problem+json")

    @app.exception_handler(AuthFailedError)
    async def _auth_failed(request: Request, exc: AuthFailedError) -> Any:
        return problem(request, 401, "Unauthorized", exc.code, exc.detail)

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, _exc: ForbiddenError) -> Any:
        return problem(request, 403, "Forbidden", "forbidden", "Requires one of the roles: admin.")

    def db() -> Iterator[Connection]:
        with engine.connect() as conn:
            yield conn

    def current_user(request: Request, conn: Annotated[Connection, Depends(db)]) -> Any:
        claims = common.decode_access_token(
            cfg, common.bearer_token(request.headers.get("authorization"))
        )
        if rds.exists(*common.revocation_keys(cfg, claims)):
            raise AuthFailedError("token_revoked", "The token has been revoked.")
        row = (
            conn.execute(select(*common.USER_COLUMNS).where(common.users.c.id == claims.user_id))
            .mappings()
            .first()
        )
        common.check_user(row)
        return row

    @app.get("/api/v1/health/live", response_model=LivenessEnvelope)
    def live() -> Any:
        return common.envelope({"status": "alive"}, "alive")

    @app.get("/api/v1/users/me", response_model=UserEnvelope)
    def me(user: Annotated[Any, Depends(current_user)]) -> Any:
        return common.envelope(dict(user))

    @app.get("/api/v1/users", response_model=UserPageEnvelope)
    def list_users(
        user: Annotated[Any, Depends(current_user)],
        conn: Annotated[Connection, Depends(db)],
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        size: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> Any:
        if user["role"] != "admin":
            raise ForbiddenError
        total = conn.execute(select(func.count()).select_from(common.users)).scalar_one()
        rows = conn.execute(
            select(*common.USER_COLUMNS)
            .order_by(common.users.c.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).mappings()
        items = [dict(row) for row in rows]
        return common.envelope(common.page_data(items, total, page, size))

    @app.post("/api/v1/auth/refresh")
    def refresh(
        request: Request, body: RefreshRequest, conn: Annotated[Connection, Depends(db)]
    ) -> Any:
        token_hash = common.hash_secret(body.refresh_token)
        row = conn.execute(
            select(common.refresh_tokens).where(common.refresh_tokens.c.token_hash == token_hash)
        ).first()
        if row is None:
            raise AuthFailedError("refresh_token_invalid", "The refresh token is not valid.")
        # Rotation is never exercised by the benchmark (it presents unknown tokens only).
        return problem(request, 501, "Not Implemented", "not_implemented", "Not benchmarked.")

    @app.get("/_bench/slow")
    def slow() -> Any:
        return common.slow()

    @app.get("/_bench/info")
    async def info() -> Any:
        limiter = anyio.to_thread.current_default_thread_limiter()
        return {"concurrency_per_process": int(limiter.total_tokens), "server": "uvicorn"}

    return app
