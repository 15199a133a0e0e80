"""Conditional requests (RFC 9110 section 13): the precondition headers handlers read, and
the 304 they answer with. The comparison itself is the service's (it owns the versions)."""

from __future__ import annotations

from typing import Any

import flask
from connexion import NoContent


def if_match() -> str | None:
    return flask.request.headers.get("If-Match")


def if_none_match() -> str | None:
    return flask.request.headers.get("If-None-Match")


def not_modified(etag: str) -> tuple[Any, int, dict[str, str]]:
    """304: no body, the current ETag (RFC 9110 section 15.4.5). The content type only
    tells Connexion which of the operation's media types this is; the response policy
    drops it, as every header of a bodiless response that describes a body."""
    return NoContent, 304, {"ETag": etag, "Content-Type": "application/json"}
