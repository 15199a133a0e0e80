"""HTTP plumbing around Connexion: middleware, problem+json rendering and the code-to-status
table, request validation, envelopes, the typed request context, the security adapter, the
docs routes, and (in `connexion_compat`) every touch of Connexion internals.

May import: `app.services`, `app.auth`, `app.infra`, `app.tables`, `app.errors`,
`app.settings`, `generated`. Never `app.api`, `app.cli` or the composition root.
"""
