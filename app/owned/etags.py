"""Optimistic concurrency for versioned rows: strong ETags, `If-Match` and `If-None-Match`
(RFC 9110 section 13.1), and the 412 a stale write gets.

The rows carry SQLAlchemy's version counter, so the version check is also part of every
UPDATE/DELETE: a writer that read a version someone else has replaced since loses even
without `If-Match` headers racing.
"""

from __future__ import annotations

from app.errors import DomainError


class PreconditionFailedError(DomainError):
    code = "precondition_failed"


RACE_LOST = "It was changed by another request at the same time; read it again and retry."


def etag(object_id: int | None, version: int | None) -> str:
    """A strong entity tag: the id and the version (bumped by every update)."""
    return f'"{object_id}.{version}"'


def check_if_match(current: str, header: str | None, *, what: str) -> None:
    """Refuse a write whose `If-Match` does not name the current version (strong
    comparison: weak tags never match); no header, or `*`, matches any existing object."""
    if header is None or header.strip() == "*":
        return
    tags = {t.strip() for t in header.split(",") if t.strip().startswith('"')}
    if current not in tags:
        raise PreconditionFailedError(
            f"The {what} has changed since the version you sent (current ETag {current})."
        )


def not_modified(current: str, header: str | None) -> bool:
    """Whether a GET with this `If-None-Match` gets a 304 (weak comparison: `W/` ignored)."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return current in {t.strip().removeprefix("W/") for t in header.split(",")}
