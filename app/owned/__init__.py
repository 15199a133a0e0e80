"""Owned resources, written once: rows that belong to a user (items, documents, and what
`flask dev new-resource` scaffolds).

Resource services build on it (`policy`, `resource`, `etags`, `tags`); the handler half is
`app.http.owned_responses`. No module here imports Flask, `app.http` or a resource package.

May import: `app.accounts`, `app.contract`, `app.errors`, `app.infra`.
"""
