"""The account kernel shared by `app.auth` and `app.users`: the `users` table, the user
`Role`, and the authenticated `Principal` every service receives.

May import: `app.infra`, `app.errors`. It sits below every resource package, so any of
them may use it.
"""
