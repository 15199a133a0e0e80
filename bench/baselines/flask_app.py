"""Plain Flask 3 + SQLAlchemy + PyJWT + redis-py: the baseline of issue 9.

    gunicorn --workers 2 --worker-class sync 'bench.baselines.flask_app:create_app()'

One connection (one transaction) per request, opened by authentication and reused by the
handler; the user is loaded once. See common.py for the shared rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from sqlalchemy import Connection, func, select

from bench.baselines import common
from bench.baselines.common import AuthFailedError

Handler = Callable[..., Response | tuple[Any, ...]]


def create_app() -> Flask:
    cfg = common.BaselineConfig.from_env()
    engine = cfg.engine()
    rds = cfg.redis()
    app = Flask(__name__)

    @app.before_request
    def _request_id() -> None:
        g.request_id = common.request_id(request.headers.get("X-Request-ID"))

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.request_id
        response.headers["API-Version"] = common.API_VERSION
        return response

    @app.teardown_request
    def _release(_exc: BaseException | None) -> None:
        conn: Connection | None = g.pop("db", None)
        if conn is not None:
            conn.close()

    def db() -> Connection:
        if "db" not in g:
            g.db = engine.connect()
        conn: Connection = g.db
        return conn

    def problem(status: int, title: str, code: str, detail: str) -> tuple[Response, int]:
        body = common.problem(status, title, code, detail, g.request_id)
        response = jsonify(body)
        response.content_type = "application/problem+json"
        if status == 401:
            response.headers["WWW-Authenticate"] = common.www_authenticate(detail)
        return response, status

    def current_user() -> Any:
        claims = common.decode_access_token(
            cfg, common.bearer_token(request.headers.get("Authorization"))
        )
        if rds.exists(*common.revocation_keys(cfg, claims)):
            raise AuthFailedError("token_revoked", "The token has been revoked.")
        row = (
            db()
            .execute(select(*common.USER_COLUMNS).where(common.users.c.id == claims.user_id))
            .mappings()
            .first()
        )
        common.check_user(row)
        return row

    @app.errorhandler(AuthFailedError)
    def _auth_failed(exc: AuthFailedError) -> tuple[Response, int]:
        return problem(401, "Unauthorized", exc.code, exc.detail)

    @app.get("/api/v1/health/live")
    def live() -> Response:
        return jsonify(common.envelope({"status": "alive"}, "alive"))

    @app.get("/api/v1/users/me")
    def me() -> Response:
        return jsonify(common.envelope(common.user_json(current_user())))

    @app.get("/api/v1/users")
    def list_users() -> Response | tuple[Response, int]:
        if current_user()["role"] != "admin":
            return problem(403, "Forbidden", "forbidden", "Requires one of the roles: admin.")
        page = request.args.get("page", 1, type=int)
        size = request.args.get("size", 20, type=int)
        if not 1 <= page <= 100_000 or not 1 <= size <= 100:
            return problem(400, "Bad Request", "invalid_parameter", "page or size out of range")
        conn = db()
        total = conn.execute(select(func.count()).select_from(common.users)).scalar_one()
        rows = conn.execute(
            select(*common.USER_COLUMNS)
            .order_by(common.users.c.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).mappings()
        items = [common.user_json(row) for row in rows]
        return jsonify(common.envelope(common.page_data(items, total, page, size)))

    _item_routes(app, current_user, db, problem)

    @app.post("/api/v1/auth/refresh")
    def refresh() -> tuple[Response, int]:
        token = common.refresh_token_from(request.get_json(silent=True))
        if token is None:
            return problem(422, "Unprocessable Entity", "validation_error", "refresh_token")
        row = (
            db()
            .execute(
                select(common.refresh_tokens).where(
                    common.refresh_tokens.c.token_hash == common.hash_secret(token)
                )
            )
            .first()
        )
        if row is None:
            raise AuthFailedError("refresh_token_invalid", "The refresh token is not valid.")
        # Rotation is never exercised by the benchmark (it presents unknown tokens only).
        return problem(501, "Not Implemented", "not_implemented", "Rotation is not benchmarked.")

    @app.get("/_bench/slow")
    def slow() -> Response:
        return jsonify(common.slow())

    @app.get("/_bench/info")
    def info() -> Response:
        return jsonify({"concurrency_per_process": 1, "server": "gunicorn sync"})

    return app


def _item_routes(
    app: Flask,
    current_user: Callable[[], Any],
    db: Callable[[], Connection],
    problem: Callable[[int, str, str, str], tuple[Response, int]],
) -> None:
    """GET/POST /items: what the service's list and create do, the plain way."""

    @app.get("/api/v1/items")
    def list_items() -> Response | tuple[Response, int]:
        user = current_user()
        page = request.args.get("page", 1, type=int)
        size = request.args.get("size", 20, type=int)
        if not 1 <= page <= 100_000 or not 1 <= size <= 100:
            return problem(400, "Bad Request", "invalid_parameter", "page or size out of range")
        data = common.items_page(db(), user["id"], page, size)
        response = jsonify(common.envelope(data))
        response.headers["Link"] = common.page_links(request.path, page, data["pages"], size)
        return response

    @app.post("/api/v1/items")
    def create_item() -> tuple[Response, int]:
        user = current_user()
        if user["role"] not in ("admin", "user"):
            return problem(403, "Forbidden", "forbidden", "Requires one of the roles: admin, user.")
        body = request.get_json(silent=True)
        bad = common.item_create_errors(body)
        if bad is not None:
            return problem(422, "Unprocessable Entity", "validation_error", bad)
        item = common.insert_item(db(), user["id"], body)
        response = jsonify(common.envelope(item, "Item created"))
        response.headers["Location"] = f"/api/v1/items/{item['id']}"
        response.headers["ETag"] = f'"{item["id"]}.1"'
        return response, 201
