"""`Idempotency-Key` replays: the stored responses, their service and the purge of expired
rows (the HTTP decorator is `app.http.idempotency`).

May import: `app.infra`, `app.errors`.
"""
