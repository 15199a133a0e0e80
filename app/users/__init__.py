"""The `users` tag: the caller's account and user administration.

May import: `app.http`, `app.accounts`, `app.infra`, `app.errors`, `generated`, and of
other resources `app.audit.trail`, `app.audit.models`, `app.audit.current`,
`app.auth.service`, `app.auth.api_keys`, `app.auth.mapping`.
"""
