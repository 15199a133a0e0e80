"""What OpenAI clients need on the `/openai/` paths, in one pass over the request.

- Credentials: OpenAI SDKs send their key only as `Authorization: Bearer <key>`. An API key
  of this service sent that way (`ak_...`) is moved to `X-API-Key`, so everything below
  (authentication, roles, rate limits) sees an ordinary API key. Only on these paths: the
  rest of the API keeps one header per kind of credential.
- Errors: OpenAI SDKs read `error.message` (and `type`, `param`, `code`) from an error body;
  this API's errors are problem documents. Every problem document here gets an `error`
  member (RFC 9457 allows extension members) with the same code and message, so one body
  serves both kinds of client and the contract stays problem+json.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.openai.chat import openai_error

PROBLEM_MEDIA_TYPE = b"application/problem+json"
API_KEY_PREFIX = b"ak_"  # this service's API keys (app/auth/api_keys.py)


class OpenAICompatMiddleware:
    def __init__(self, app: ASGIApp, *, prefix: str) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/") + "/openai/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        scope = _api_key_from_bearer(scope)
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(PROBLEM_MEDIA_TYPE):
                    start = message  # a problem: hold it until its body is complete
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await _send_with_error(send, start, b"".join(chunks))

        await self.app(scope, receive, capture)


def _api_key_from_bearer(scope: Scope) -> Scope:
    headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
    names = [k.lower() for k, _ in headers]
    if names.count(b"authorization") != 1 or b"x-api-key" in names:
        return scope  # none, or ambiguous: authentication answers as everywhere else
    value = headers[names.index(b"authorization")][1]
    scheme, _, token = value.partition(b" ")
    if scheme.lower() != b"bearer" or not token.strip().startswith(API_KEY_PREFIX):
        return scope
    rest = [(k, v) for k, v in headers if k.lower() != b"authorization"]
    return {**scope, "headers": [*rest, (b"x-api-key", token.strip())]}


async def _send_with_error(send: Send, start: Message, raw: bytes) -> None:
    try:
        problem = json.loads(raw)
    except ValueError:
        problem = None
    if isinstance(problem, dict):
        problem["error"] = openai_error(problem)
        raw = json.dumps(problem, separators=(",", ":")).encode()
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(raw)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": raw, "more_body": False})
