"""Reading the spec: the bundle, the problem catalogue, `x-roles`, `x-rate-limit` and the
routing rule (operationId -> `app.<tag>.handlers`). No request ever reaches it.

May import: `app.accounts`, `app.infra`, `app.errors`, `app.settings`.
"""
