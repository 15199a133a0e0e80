"""The `auth` tag and the security domain: passwords, access tokens, refresh-token rotation,
revocation, the login throttle, API keys (and their owners' cache), and the handlers that
log in, refresh and manage keys. The HTTP plumbing never imports it: the composition root
binds its checks there.

May import: `app.http`, `app.accounts`, `app.infra`, `app.errors`, `app.settings`,
`generated`, and of other resources `app.audit.trail`, `app.audit.models`,
`app.audit.current`, `app.users.service`, `app.users.mapping`.
"""
