"""The response policy, applied in the edge pass: what every response may and may not
carry, whichever layer produced it (a handler, Connexion's validation, routing, the
last-resort 500).

- Baseline security headers: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
  no-referrer`, `X-Frame-Options: DENY` and a `Content-Security-Policy` that allows nothing
  (JSON needs nothing). HTML under the docs prefix (Swagger UI) gets a policy that lets it
  run: its own scripts, plus its inline bootstrap script by hash (never 'unsafe-inline').
- A 204 or 304 carries no body and no `Content-Type`/`Content-Length` (RFC 9110 sections
  15.3.5 and 15.4.5).
- A HEAD response carries GET's status and headers and no body, whatever the server does.
- A response to a request that carries credentials (`Authorization` or `X-API-Key`),
  errors included, is `Cache-Control: no-store` and `Vary: Authorization, X-API-Key`: no
  browser or shared cache keeps what one caller was shown (RFC 9111 lets shared caches
  store responses to `X-API-Key` requests). Flask and the event streams send them too,
  where the spec's response validation sees them.

The header values are built once; per request this costs one pass over each header list.
"""

from __future__ import annotations

import base64
import hashlib
import re
from types import MappingProxyType
from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI: scripts and styles from its own bundle; React sets inline style attributes,
# so styles need 'unsafe-inline' (scripts never do). Icons are data: URIs; "Try it out"
# and the spec are fetched from this origin.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
BASELINE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
# Request headers that carry a credential, and what a response to such a request carries.
CREDENTIAL_HEADERS = ("Authorization", "X-API-Key")
PRIVATE_HEADERS = MappingProxyType(
    {"Cache-Control": "no-store", "Vary": ", ".join(CREDENTIAL_HEADERS)}
)
_CREDENTIAL_KEYS = frozenset(name.lower().encode() for name in CREDENTIAL_HEADERS)
_NO_STORE = PRIVATE_HEADERS["Cache-Control"].encode()
_CSP = b"content-security-policy"
_OWNED = frozenset({_CSP, *(k for k, _ in BASELINE_HEADERS)})
_OWNED_PRIVATE = _OWNED | {b"cache-control", b"vary"}
_NO_CONTENT_HEADERS = frozenset({b"content-type", b"content-length", b"transfer-encoding"})
# An inline script is a <script> element without attributes (those with src= are files).
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def docs_csp(html: bytes) -> bytes:
    """The docs policy for one HTML page: its inline scripts allowed by their SHA-256."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return DOCS_CSP.format(hashes=hashes).encode()


class _HeaderNames(Protocol):
    def __contains__(self, name: str, /) -> bool: ...


def has_credentials(headers: _HeaderNames) -> bool:
    """Whether request `headers` (a case-insensitive mapping, e.g. Flask's) carry a credential."""
    return any(name in headers for name in CREDENTIAL_HEADERS)


def _vary(headers: list[tuple[bytes, bytes]]) -> bytes:
    """`Vary` naming the credential headers and whatever else the response varies on."""
    tokens = [t.strip() for k, v in headers if k.lower() == b"vary" for t in v.split(b",")]
    names = [n.encode() for n in CREDENTIAL_HEADERS]
    seen = {n.lower() for n in names}
    return b", ".join(names + [t for t in tokens if t and t.lower() not in seen])


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)


_API_HEADERS = (*BASELINE_HEADERS, (_CSP, API_CSP.encode()))


def policy_send(scope: Scope, send: Send, *, docs_prefix: str) -> Send:
    """`send` with the policy applied to every message of this request's response (the
    edge pass calls this once per request; `ResponsePolicyMiddleware` is it alone)."""
    head = scope.get("method") == "HEAD"
    docs = str(scope.get("path", "")).startswith(docs_prefix)
    private = any(k in _CREDENTIAL_KEYS for k, _ in scope.get("headers", ()))
    owned = _OWNED_PRIVATE if private else _OWNED
    bodyless = head
    held: Message | None = None  # a docs HTML start, sent once its body is known
    chunks: list[bytes] = []

    async def send_wrapper(message: Message) -> None:
        nonlocal bodyless, held
        if message["type"] == "http.response.start":
            status = message["status"]
            bodyless = bodyless or status in (204, 304)
            drop = owned | (_NO_CONTENT_HEADERS if status in (204, 304) else frozenset())
            sent = message.get("headers", [])
            headers = [(k, v) for k, v in sent if k.lower() not in drop]
            if private:
                headers += [(b"cache-control", _NO_STORE), (b"vary", _vary(sent))]
            if docs and _is_html(headers):
                held = {**message, "headers": headers + list(BASELINE_HEADERS)}
                return
            await send({**message, "headers": [*headers, *_API_HEADERS]})
            return
        if message["type"] == "http.response.body":
            if held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                html = b"".join(chunks)
                start, held = held, None
                start["headers"] = [*start["headers"], (_CSP, docs_csp(html))]
                await send(start)
                message = {**message, "body": html}
            if bodyless and message.get("body"):
                message = {**message, "body": b""}
        await send(message)

    return send_wrapper


class ResponsePolicyMiddleware:
    """The policy alone, as a middleware (the app applies it in its edge pass)."""

    def __init__(self, app: ASGIApp, *, docs_prefix: str) -> None:
        self.app = app
        self.docs_prefix = docs_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, policy_send(scope, send, docs_prefix=self.docs_prefix))
