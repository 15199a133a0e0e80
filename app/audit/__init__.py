"""The `audit` tag: the audit trail writer (`trail`, used by the auth and users services and
the CLI), its table, and the admin's read of it (handlers, mapping, service). `current`
gives handlers the trail of the request being handled.

May import: `app.http`, `app.accounts`, `app.infra`, `app.errors`, `generated`. Its
`trail` and `models` are the modules other resource packages may use (declared in the
import-linter contract `resources`).
"""
