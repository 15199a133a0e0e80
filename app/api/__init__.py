"""Handlers, one module per spec tag: parse -> call a service -> wrap in an envelope.

May import: `app.http` (request context, envelopes, parsing), `app.services`, `app.auth`,
`app.models`, `app.errors`, `generated`. Handlers never touch the engine, Redis or an SDK
client, and never import each other (shared output mapping lives in `mappers`).
"""
