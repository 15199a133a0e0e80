"""Owned resources, written once: rows that belong to a user (items, documents, and what
`flask dev new-resource` scaffolds).

The service half (`policy`, `resource`, `etags`, `tags`) imports `app.accounts`,
`app.errors`, `app.infra` and the spec's facts (`app.contract`), never Flask or `app.http`;
resource services build on it. The handler half (`web`) adds `app.http`; handlers use it.
No module here imports a resource package.
"""
