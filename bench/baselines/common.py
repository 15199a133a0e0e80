"""What both baselines share: settings, tables, token checks, revocation keys, JSON shapes.

The rules are the service's (app/core/security/tokens.py, revocation.py, services/auth.py):
HS256 pinned; exp/iat/nbf/iss/aud/sub/jti/role required; leeway; one Redis EXISTS on the
jti and family keys; the role read from the database on every request.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import jwt
import redis
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    create_engine,
    func,
    insert,
    select,
)

REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "role"]
ROLES = frozenset({"admin", "user", "readonly"})
API_VERSION = "1.0.0"
SLOW_SECONDS = 0.5
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_DEFAULT_ISSUER = "spec-first-flask-llm-api"

metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String),
    Column("full_name", String),
    Column("role", String),
    Column("is_active", Boolean),
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
)
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer),
    Column("family_id", String),
    Column("token_hash", String),
    Column("expires_at", DateTime(timezone=True)),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer),
    Column("name", String),
    Column("description", String),
    Column("price", Numeric(14, 2)),
    Column("attributes", JSON),
    Column("version", Integer),
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
)
item_tags = Table(
    "item_tags",
    metadata,
    Column("item_id", Integer),
    Column("tag", String),
)
USER_COLUMNS = [users.c[name] for name in ("id", "email", "full_name", "role", "is_active")] + [
    users.c.created_at,
    users.c.updated_at,
]


@dataclass(frozen=True)
class BaselineConfig:
    database_url: str
    pool_size: int
    redis_url: str
    key_prefix: str
    jwt_secret: str
    issuer: str
    audience: str
    leeway: int

    @classmethod
    def from_env(cls) -> BaselineConfig:
        env = os.environ
        return cls(
            database_url=env["DATABASE_URL"],
            pool_size=int(env.get("DATABASE_POOL_SIZE", "10")),
            redis_url=env["REDIS_URL"],
            key_prefix=env.get("REDIS_KEY_PREFIX", "app"),
            jwt_secret=env["JWT_SECRET"],
            issuer=env.get("JWT_ISSUER", _DEFAULT_ISSUER),
            audience=env.get("JWT_AUDIENCE", _DEFAULT_ISSUER),
            leeway=int(env.get("JWT_LEEWAY_SECONDS", "10")),
        )

    def engine(self) -> Engine:
        # The same pool bounds as the service, without its per-checkout pre-ping.
        return create_engine(
            self.database_url,
            pool_size=self.pool_size,
            max_overflow=self.pool_size,
            pool_timeout=3,
            connect_args={"connect_timeout": 3},
        )

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)


class AuthFailedError(Exception):
    """A 401 with the service's `code`."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Claims:
    user_id: int
    jti: str
    family_id: str | None


def bearer_token(header: str | None) -> str:
    if header is None:
        raise AuthFailedError("not_authenticated", "Authentication is required.")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token or len(token) > 8192:
        raise AuthFailedError("token_malformed", "Expected 'Authorization: Bearer <token>'.")
    return token


def decode_access_token(cfg: BaselineConfig, token: str) -> Claims:
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            cfg.jwt_secret,
            algorithms=["HS256"],
            audience=cfg.audience,
            issuer=cfg.issuer,
            leeway=cfg.leeway,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthFailedError("token_expired", "The token has expired.") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthFailedError("token_invalid", "The token could not be verified.") from exc
    sub, jti, fam = payload["sub"], payload["jti"], payload.get("fam")
    if not isinstance(sub, str) or not sub.isdigit() or payload["role"] not in ROLES:
        raise AuthFailedError("token_claims_missing", "The token's sub or role claim is invalid.")
    if not isinstance(jti, str) or not (fam is None or isinstance(fam, str)):
        raise AuthFailedError("token_claims_missing", "The token's jti or fam claim is invalid.")
    return Claims(user_id=int(sub), jti=jti, family_id=fam)


def revocation_keys(cfg: BaselineConfig, claims: Claims) -> list[str]:
    prefix = f"{cfg.key_prefix}:revoked:"
    keys = [f"{prefix}jti:{claims.jti}"]
    if claims.family_id:
        keys.append(f"{prefix}fam:{claims.family_id}")
    return keys


def check_user(row: Any) -> None:
    if row is None:
        raise AuthFailedError("token_user_not_found", "The token's user no longer exists.")
    if not row["is_active"]:
        raise AuthFailedError("token_user_inactive", "The token's user is deactivated.")


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def user_json(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "email": row["email"],
        "full_name": row["full_name"],
        "role": row["role"],
        "is_active": row["is_active"],
        "created_at": _rfc3339(row["created_at"]),
        "updated_at": _rfc3339(row["updated_at"]),
    }


def envelope(data: Any, message: str = "OK") -> dict[str, Any]:
    return {"success": True, "message": message, "data": data, "warnings": []}


def page_data(items: list[dict[str, Any]], total: int, page: int, size: int) -> dict[str, Any]:
    pages = -(-total // size) if total else 0
    return {"items": items, "total": total, "page": page, "size": size, "pages": pages}


def page_links(path: str, page: int, pages: int, size: int) -> str:
    """RFC 8288 first/prev/next/last, as the service writes them."""
    last = max(pages, 1)
    rels = [("first", 1)]
    if page > 1:
        rels.append(("prev", min(page - 1, last)))
    if page < pages:
        rels.append(("next", page + 1))
    rels.append(("last", last))
    return ", ".join(f'<{path}?size={size}&page={n}>; rel="{rel}"' for rel, n in rels)


def problem(status: int, title: str, code: str, detail: str, request_id: str) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id,
    }


def www_authenticate(detail: str) -> str:
    return f'Bearer realm="api", error="invalid_token", error_description="{detail}"'


def request_id(raw: str | None) -> str:
    return raw if raw is not None and _REQUEST_ID.fullmatch(raw) else uuid.uuid4().hex


def refresh_token_from(body: Any) -> str | None:
    """The spec's RefreshRequest: exactly {"refresh_token": 1-512 chars}, else None."""
    if not isinstance(body, dict) or set(body) != {"refresh_token"}:
        return None
    token = body["refresh_token"]
    return token if isinstance(token, str) and 1 <= len(token) <= 512 else None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def slow() -> dict[str, Any]:
    """The slow-handler probe: a blocking 500 ms wait, like a synchronous provider call."""
    time.sleep(SLOW_SECONDS)
    return envelope({"slept_ms": int(SLOW_SECONDS * 1000)})


# The spec's ItemCreateRequest rules (openapi/components/items.yaml), checked by hand.
_PRICE = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?")
_TAG = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
ITEM_FIELDS = {"name", "description", "price", "tags", "attributes"}


def _tags_ok(tags: Any) -> bool:
    return (
        isinstance(tags, list)
        and len(tags) <= 20
        and all(isinstance(t, str) and _TAG.fullmatch(t) for t in tags)
        and len(set(tags)) == len(tags)
    )


def _attributes_ok(attributes: Any) -> bool:
    return (
        isinstance(attributes, dict)
        and len(attributes) <= 50
        and len(json.dumps(attributes, separators=(",", ":")).encode()) <= 8192
    )


def item_create_errors(body: Any) -> str | None:
    """None when `body` is a valid ItemCreateRequest, else the offending field."""
    if not isinstance(body, dict) or not set(body) <= ITEM_FIELDS:
        return "body"
    name, price, description = body.get("name"), body.get("price"), body.get("description")
    checks = {
        "name": isinstance(name, str) and 1 <= len(name.strip()) <= 200,
        "price": isinstance(price, str) and _PRICE.fullmatch(price) is not None,
        "description": description is None
        or (isinstance(description, str) and len(description) <= 2000),
        "tags": _tags_ok(body.get("tags", [])),
        "attributes": _attributes_ok(body.get("attributes", {})),
    }
    return next((field for field, ok in checks.items() if not ok), None)


def items_page(conn: Connection, owner_id: int, page: int, size: int) -> dict[str, Any]:
    """The owner's items, newest first (id breaks ties), with their tags: 3 queries."""
    mine = items.c.owner_id == owner_id
    total = conn.execute(select(func.count()).select_from(items).where(mine)).scalar_one()
    rows = (
        conn.execute(
            select(items)
            .where(mine)
            .order_by(items.c.created_at.desc(), items.c.id)
            .offset((page - 1) * size)
            .limit(size)
        )
        .mappings()
        .all()
    )
    tags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    if tags:
        tag_rows = conn.execute(
            select(item_tags.c.item_id, item_tags.c.tag)
            .where(item_tags.c.item_id.in_(list(tags)))
            .order_by(item_tags.c.item_id, item_tags.c.tag)
        )
        for item_id, tag in tag_rows:
            tags[item_id].append(tag)
    return page_data([item_json(r, tags[r["id"]]) for r in rows], total, page, size)


def insert_item(conn: Connection, owner_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Item and tags in one transaction; returns the item's JSON."""
    now = datetime.now(UTC)
    # The connection already began a transaction (authentication read the user): commit it.
    row = (
        conn.execute(
            insert(items)
            .values(
                owner_id=owner_id,
                name=body["name"].strip(),
                description=body.get("description"),
                price=Decimal(body["price"]),
                attributes=body.get("attributes", {}),
                version=1,
                created_at=now,
                updated_at=now,
            )
            .returning(*items.c)
        )
        .mappings()
        .one()
    )
    tags = sorted(body.get("tags", []))
    if tags:
        conn.execute(insert(item_tags), [{"item_id": row["id"], "tag": t} for t in tags])
    conn.commit()
    return item_json(row, tags)


def item_json(row: Any, tags: list[str]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "owner_id": row["owner_id"],
        "name": row["name"],
        "description": row["description"],
        "price": f"{row['price']:.2f}",
        "tags": tags,
        "attributes": row["attributes"],
        "created_at": _rfc3339(row["created_at"]),
        "updated_at": _rfc3339(row["updated_at"]),
    }
