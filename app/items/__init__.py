"""The `items` tag: items owned by a user (handlers, service, table, mapping).

May import: `app.contract`, `app.http`, `app.owned`, `app.accounts`, `app.infra`, `app.errors`,
`generated`.
"""
