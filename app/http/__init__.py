"""HTTP plumbing around Connexion: the middleware stack (`stack`: the edge pass, the
admission pass), the one auth pipeline (`auth_pipeline`), problem+json rendering, request
validation, envelopes, the typed request context (with the registry handlers ask by type),
the stream server, the docs routes, and (in `connexion_compat`) every touch of Connexion
internals. It knows no resource package and no container: the
composition root hands it what it needs.

May import: `app.owned`, `app.idempotency`, `app.contract`, `app.accounts`, `app.infra`,
`app.errors`, `app.settings`, `generated`.
"""
